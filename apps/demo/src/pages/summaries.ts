/** One line per page, for the home page's list. */
export const PAGE_SUMMARIES = [
  { id: 'pronounce', title: 'Pronounce', summary: 'type a word, get its phonemes from a CMUdict Seq2Seq (greedy or beam search) and the letter ↔ phoneme alignment.' },
  { id: 'dates', title: 'Dates', summary: 'train @heed/models\' Seq2Seq on dates live in this tab and watch its attention sharpen.' },
  { id: 'text', title: 'Text', summary: 'spam and sentiment classification of typed text, token highlighting and the Transformer\'s per-head attention maps.' },
  { id: 'digits', title: 'Digits', summary: 'draw a digit for a Vision Transformer: class probabilities, patch attention per head and rollout.' },
  { id: 'hf', title: 'Hugging Face', summary: 'load a BERT, RoBERTa, DistilBERT or ViT checkpoint from a URL or a dropped folder: classify, fill a mask, every head\'s attention.' },
  { id: 'playground', title: 'Attention playground', summary: 'every classic attention with masks, formulas and live weights.' },
] as const;
