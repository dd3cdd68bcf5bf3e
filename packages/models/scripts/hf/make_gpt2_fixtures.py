"""Writes tiny random GPT-2 checkpoints in Hugging Face layout into packages/models/src/gpt2/__fixtures__/<name>/:
config.json, model.safetensors, a byte-level BPE tokenizer (tokenizer.json, and vocab.json + merges.txt
as GPT2Tokenizer reads them) and reference.json with eval-mode logits, hidden_states, attentions,
one labelled batch's causal-LM loss (gradients.safetensors: its gradient for every parameter, under
its HF name), a greedy continuation with past_key_values (every step's logits) and a left-padded
batch with transformers' generation position ids, and the perplexity of a held-out text as run_clm
measures it (ids grouped into blocks of 8, remainder dropped; exp of the Trainer's eval_loss, the
per-batch losses weighted by batch size). The model is gpt2_reference.py's.

  /usr/bin/python3 packages/models/scripts/hf/make_gpt2_fixtures.py
"""

import collections
import json
import math
import os
import re
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_reference as ref  # noqa: E402
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'gpt2', '__fixtures__')
DTYPES = {'F32': torch.float32, 'F16': torch.float16}
CORPUS = ('the cat sat on the mat. the dog sat on the log. attention is all you need. '
          'hello world, the model attends to the tokens that came before. a small model is a fast model.')
TEXTS = ['the cat sat on the mat', 'Hello, attention!']
HELD_OUT = ('Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, '
            'and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world.')
BLOCK_SIZE, EVAL_BATCH = 8, 2
MERGES = 40
# GPT-2's pre-tokenizer regex for ASCII text (\p{L} = letters, \p{N} = digits there).
PATTERN = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_CHARS = bytes_to_unicode()


def pieces(text):
    return [''.join(BYTE_CHARS[b] for b in word.encode('utf-8')) for word in PATTERN.findall(text)]


def train_merges():
    """Plain BPE: merge the most frequent adjacent pair MERGES times (ties: first seen)."""
    words = collections.Counter(pieces(CORPUS))
    split = {word: list(word) for word in words}
    merges = []
    for _ in range(MERGES):
        pairs = collections.Counter()
        for word, count in words.items():
            symbols = split[word]
            for a, b in zip(symbols, symbols[1:]):
                pairs[(a, b)] += count
        if not pairs:
            break
        best = max(pairs.items(), key=lambda item: item[1])[0]
        merges.append(best)
        for word in words:
            symbols, out, i = split[word], [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            split[word] = out
    return merges


MERGE_LIST = train_merges()
VOCAB = {char: i for i, char in enumerate(BYTE_CHARS[b] for b in sorted(BYTE_CHARS))}
for a, b in MERGE_LIST:
    VOCAB.setdefault(a + b, len(VOCAB))
EOS = len(VOCAB)
VOCAB['<|endoftext|>'] = EOS


def encode(text):
    ranks = {pair: i for i, pair in enumerate(MERGE_LIST)}
    ids = []
    for word in pieces(text):
        symbols = list(word)
        while len(symbols) > 1:
            pairs = [(ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
            rank, i = min(pairs)
            if rank == 1 << 30:
                break
            symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
        ids.extend(VOCAB[s] for s in symbols)
    return ids


def tokenizer_files(folder, n_positions):
    byte_level = {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True}
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [{'id': EOS, 'content': '<|endoftext|>', 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': True, 'special': True}],
        'normalizer': None, 'pre_tokenizer': byte_level, 'post_processor': {**byte_level, 'trim_offsets': False}, 'decoder': byte_level,
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '', 'end_of_word_suffix': '',
                  'fuse_unk': False, 'byte_fallback': False, 'vocab': VOCAB, 'merges': [f'{a} {b}' for a, b in MERGE_LIST]},
    }
    with open(os.path.join(folder, 'tokenizer.json'), 'w') as out:
        json.dump(tokenizer, out, ensure_ascii=False)
    with open(os.path.join(folder, 'vocab.json'), 'w') as out:
        json.dump(VOCAB, out, ensure_ascii=False)
    with open(os.path.join(folder, 'merges.txt'), 'w') as out:
        out.write('#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in MERGE_LIST))
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as out:
        json.dump({'tokenizer_class': 'GPT2Tokenizer', 'model_max_length': n_positions, 'bos_token': '<|endoftext|>',
                   'eos_token': '<|endoftext|>', 'unk_token': '<|endoftext|>', 'add_prefix_space': False}, out, indent=2)


def randomize(model, seed, dtype):
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if re.search(r'ln_[12f]\.weight$', name):
                parameter.copy_(1 + 0.1 * torch.randn_like(parameter))
            else:
                parameter.copy_(0.3 * torch.randn_like(parameter))
            parameter.copy_(parameter.to(DTYPES[dtype]).float())


def tolist(tensor):
    return {'data': [round(v, 6) for v in tensor.detach().flatten().tolist()], 'shape': list(tensor.shape)}


def config_of(**overrides):
    return {'architectures': ['GPT2LMHeadModel'], 'model_type': 'gpt2', 'vocab_size': len(VOCAB), 'n_positions': 16, 'n_embd': 24,
            'n_layer': 2, 'n_head': 3, 'n_inner': None, 'activation_function': 'gelu_new', 'resid_pdrop': 0.1, 'embd_pdrop': 0.1,
            'attn_pdrop': 0.1, 'layer_norm_epsilon': 1e-5, 'initializer_range': 0.02, 'bos_token_id': EOS, 'eos_token_id': EOS,
            'scale_attn_weights': True, 'use_cache': True, **overrides}


def batch_inputs(padding_side):
    rows = [encode(text) for text in TEXTS]
    length = max(map(len, rows))
    pad = lambda row: [EOS] * (length - len(row)) + row if padding_side == 'left' else row + [EOS] * (length - len(row))
    ones = lambda row: [0] * (length - len(row)) + [1] * len(row) if padding_side == 'left' else [1] * len(row) + [0] * (length - len(row))
    return {'input_ids': [pad(row) for row in rows], 'attention_mask': [ones(row) for row in rows]}


def held_out_perplexity(model):
    """run_clm: tokenize, group_texts into BLOCK_SIZE blocks (labels = input_ids), evaluate as
    transformers' Trainer does (each batch's mean loss repeated batch-size times, then the mean), exp."""
    ids = encode(HELD_OUT)
    total = len(ids) // BLOCK_SIZE * BLOCK_SIZE
    blocks = [ids[i:i + BLOCK_SIZE] for i in range(0, total, BLOCK_SIZE)]
    losses = []
    with torch.no_grad():
        for start in range(0, len(blocks), EVAL_BATCH):
            batch = torch.tensor(blocks[start:start + EVAL_BATCH])
            losses += [model(batch, labels=batch)['loss'].item()] * len(batch)
    eval_loss = sum(losses) / len(losses)
    return {'text': HELD_OUT, 'ids': ids, 'block_size': BLOCK_SIZE, 'blocks': len(blocks), 'eval_loss': eval_loss, 'perplexity': math.exp(eval_loss)}


def greedy_repetition(model, prompt, steps, penalty):
    """Greedy search with transformers' RepetitionPenaltyLogitsProcessor on the logits: every token
    of input_ids so far (prompt included) is divided by `penalty` where positive, multiplied where negative."""
    ids = list(prompt)
    with torch.no_grad():
        for _ in range(steps):
            logits = model(torch.tensor([ids]))['logits'][0, -1].clone()
            index = torch.tensor(ids)
            score = logits.gather(0, index)
            logits.scatter_(0, index, torch.where(score < 0, score * penalty, score / penalty))
            ids.append(int(torch.argmax(logits)))
    return ids


def beam_search(model, prompt, steps, beams):
    """transformers' beam search without an end token: the first step expands only one beam (the
    others start at -1e9), each step keeps the `beams` best (sum of log_softmax) of all expansions,
    the best-scoring beam wins (all have the same length, so the length penalty does not matter)."""
    running = [(list(prompt), 0.0)]
    with torch.no_grad():
        for _ in range(steps):
            candidates = []
            for ids, score in running:
                log_probs = torch.log_softmax(model(torch.tensor([ids]))['logits'][0, -1].double(), -1)
                values, tokens = torch.topk(log_probs, 2 * beams)
                candidates += [(score + float(v), ids + [int(t)]) for v, t in zip(values, tokens)]
            candidates.sort(key=lambda c: -c[0])
            running = [(ids, score) for score, ids in candidates[:beams]]
    return running[0][0]


def next_log_probs(model, ids):
    """log_softmax of the next-token logits after `ids` (float64), recomputed over the whole row."""
    with torch.no_grad():
        return torch.log_softmax(model(torch.tensor([ids]))['logits'][0, -1].double(), -1)


def greedy_eos_list(model, prompt, steps, eos):
    """transformers' greedy search with `eos_token_id` a list: the argmax of the logits is taken as
    it is, and the row ends when it is any of the ids (kept in the output)."""
    ids = list(prompt)
    for _ in range(steps):
        token = int(torch.argmax(next_log_probs(model, ids)))
        ids.append(token)
        if token in eos:
            break
    return ids


def repetition_processor(ids, scores, penalty):
    """RepetitionPenaltyLogitsProcessor on one row of scores (whatever they are: logits in greedy
    search, log-probabilities in beam search)."""
    index = torch.tensor(ids)
    score = scores.gather(0, index)
    return scores.scatter(0, index, torch.where(score < 0, score * penalty, score / penalty))


def beam_search_scorer(model, prompt, steps, beams, eos=(), length_penalty=1.0, early_stopping=False, penalty=1.0):
    """transformers' _beam_search with BeamSearchScorer, one example, written out: each step the
    scores are log_softmax(logits), then the logits processors (the repetition penalty, on those
    log-probabilities and without renormalizing), plus the beam's running score; the top
    max(2, 1 + len(eos)) * beams of all expansions are walked in order: an eos candidate ranked
    below `beams` is skipped, one within becomes a finished hypothesis (BeamHypotheses keeps the
    `beams` best by sum_logprobs / generated_len ** length_penalty, generated_len counting the eos),
    the others refill the beam until it holds `beams`. The example is done when `beams` are finished
    and, without early stopping, the best candidate of the step divided by (generated tokens so
    far) ** length_penalty cannot beat the worst finished one (transformers >= 4.36's lengths).
    At max length the live beams join the hypotheses; the best score wins, eos appended."""
    prompt = list(prompt)
    running = [(prompt, 0.0)]
    finished = []  # (score, ids with the eos)
    keep = max(2, 1 + len(eos)) * beams

    def add(ids, sum_logprobs):
        score = sum_logprobs / ((len(ids) - len(prompt)) ** length_penalty)
        if len(finished) < beams or score > min(s for s, _ in finished):
            finished.append((score, ids))
            finished.sort(key=lambda item: -item[0])
            del finished[beams:]

    done = False
    for step in range(steps):
        candidates = []
        for ids, score in running:
            scores = next_log_probs(model, ids)
            if penalty != 1.0:
                scores = repetition_processor(ids, scores, penalty)
            scores = scores + score
            values, tokens = torch.topk(scores, keep)
            candidates += [(float(v), ids, int(t)) for v, t in zip(values, tokens)]
        candidates.sort(key=lambda c: -c[0])
        candidates = candidates[:keep]
        survivors = []
        for rank, (score, ids, token) in enumerate(candidates):
            if token in eos:
                if rank < beams:
                    add(ids + [token], score)
            else:
                survivors.append((ids + [token], score))
            if len(survivors) == beams:
                break
        running = survivors
        if len(finished) >= beams:
            if early_stopping or min(s for s, _ in finished) >= candidates[0][0] / ((step + 1) ** length_penalty):
                done = True
                break
    if not done:
        for ids, score in running:
            add(ids, score)
    return max(finished, key=lambda item: item[0])[1]


def multi_eos_cases(model, prompt):
    """End-id lists for which folding their probability into the first id would change the result:
    for greedy, two ids that are not the argmax at some step but together outweigh it; for beam
    search, ids the free beam emits (so hypotheses finish on the second id of the list too)."""
    steps = 8
    free = greedy_eos_list(model, prompt, steps, ())
    greedy_eos = None
    for step in range(steps):
        log_probs = next_log_probs(model, free[:len(prompt) + step])
        top = torch.topk(log_probs, 3)
        p = top.values.exp()
        if float(p[1] + p[2]) > float(p[0]) and int(top.indices[0]) not in (int(top.indices[1]), int(top.indices[2])):
            greedy_eos = [int(top.indices[1]), int(top.indices[2])]
            break
    assert greedy_eos is not None, 'no step where two lesser tokens outweigh the argmax'
    greedy = greedy_eos_list(model, prompt, steps, greedy_eos)
    free_beam = beam_search_scorer(model, prompt, 6, 3)
    beam_eos = [free_beam[len(prompt) + 3], free_beam[len(prompt) + 1]]
    beam = beam_search_scorer(model, prompt, 6, 3, eos=beam_eos)
    assert beam[-1] in beam_eos, 'the winning beam should end with an end id'
    return {'prompt': prompt, 'max_new_tokens': steps, 'greedy_eos': greedy_eos, 'greedy_ids': greedy,
            'beam': {'num_beams': 3, 'max_new_tokens': 6, 'length_penalty': 1.0, 'early_stopping': False, 'eos': beam_eos, 'ids': beam}}


def beam_repetition(model, prompt, steps, beams, penalty):
    """Beam search with the repetition penalty applied as transformers applies it there (to the
    log-probabilities); the ids the same search gives with the penalty on the logits are recorded
    too, so the test shows the two differ."""
    ids = beam_search_scorer(model, prompt, steps, beams, penalty=penalty)
    running = [(list(prompt), 0.0)]
    for _ in range(steps):
        candidates = []
        for row, score in running:
            with torch.no_grad():
                logits = model(torch.tensor([row]))['logits'][0, -1].double()
            log_probs = torch.log_softmax(repetition_processor(row, logits, penalty), -1) + score
            values, tokens = torch.topk(log_probs, 2 * beams)
            candidates += [(float(v), row + [int(t)]) for v, t in zip(values, tokens)]
        candidates.sort(key=lambda c: -c[0])
        running = [(row, score) for score, row in candidates[:beams]]
    return {'prompt': list(prompt), 'num_beams': beams, 'penalty': penalty, 'ids': ids, 'ids_penalty_on_logits': running[0][0]}


def write(name, model, config, dtype, state, lm):
    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    model.eval()
    stored = {key: value.to(DTYPES[dtype]) for key, value in state.items()}
    save_file(stored, os.path.join(folder, 'model.safetensors'), {'format': 'pt'})
    with open(os.path.join(folder, 'config.json'), 'w') as out:
        json.dump(config, out, indent=2)
    tokenizer_files(folder, config['n_positions'])
    inputs = batch_inputs('right')
    tensors = {key: torch.tensor(value) for key, value in inputs.items()}
    with torch.no_grad():
        out = model(**tensors)
    reference = {'texts': TEXTS, 'inputs': inputs, 'outputs': {
        'last_hidden_state': tolist(out['last_hidden_state']), 'hidden_states': [tolist(t) for t in out['hidden_states']],
        'attentions': [tolist(t) for t in out['attentions']], **({'logits': tolist(out['logits'])} if lm else {})}}
    if lm:
        labels = [[token if keep else -100 for token, keep in zip(ids, mask)] for ids, mask in zip(inputs['input_ids'], inputs['attention_mask'])]
        model.zero_grad()
        loss = model(**tensors, labels=torch.tensor(labels))['loss']
        loss.backward()
        reference['labels'], reference['loss'] = labels, loss.item()
        gradients = {key: parameter.grad.detach().clone() for key, parameter in model.named_parameters()}
        save_file(gradients, os.path.join(folder, 'gradients.safetensors'), {'format': 'pt', 'loss': repr(loss.item())})
        prompt = encode(TEXTS[0])[:4]
        ids, step_logits = ref.greedy_with_cache(model, prompt, 6)
        reference['greedy'] = {'prompt': prompt, 'ids': ids, 'step_logits': [tolist(t) for t in step_logits]}
        left = batch_inputs('left')
        mask = torch.tensor(left['attention_mask'])
        positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)  # transformers' prepare_inputs_for_generation
        with torch.no_grad():
            last = model(torch.tensor(left['input_ids']), mask, positions)['logits'][:, -1]
        reference['left_padded'] = {**left, 'position_ids': positions.tolist(), 'last_logits': tolist(last)}
        reference['perplexity'] = held_out_perplexity(model)
        reference['repetition_penalty'] = {'prompt': prompt, 'penalty': 1.3, 'ids': greedy_repetition(model, prompt, 8, 1.3)}
        reference['beam'] = {'prompt': prompt, 'num_beams': 3, 'ids': beam_search(model, prompt, 6, 3)}
        reference['several_stop_ids'] = multi_eos_cases(model, prompt)
        reference['beam_repetition_penalty'] = beam_repetition(model, prompt, 8, 3, 1.3)
    with open(os.path.join(folder, 'reference.json'), 'w') as out:
        json.dump(reference, out, separators=(',', ':'))
    print(f'{name}: {len(stored)} tensors, vocab {len(VOCAB)}, texts {[encode(t) for t in TEXTS]}')


def main():
    # GPT2LMHeadModel with the transformer. prefix, the tied lm_head.weight stored, and the old
    # attn.bias (causal tril) / attn.masked_bias buffers as pre-4.x checkpoints (gpt2 on the Hub) hold them.
    config = config_of(n_ctx=16)
    model = ref.GPT2LMHeadModel(config)
    randomize(model, 11, 'F32')
    state = dict(model.state_dict())
    state['lm_head.weight'] = model.transformer.wte.weight.detach().clone()
    for i in range(config['n_layer']):
        state[f'transformer.h.{i}.attn.bias'] = torch.tril(torch.ones(16, 16)).view(1, 1, 16, 16)
        state[f'transformer.h.{i}.attn.masked_bias'] = torch.tensor(-1e4)
    write('gpt2-lm-f32', model, config, 'F32', state, lm=True)

    # GPT2Model as GPT2Model.save_pretrained writes it: no prefix, F16, an explicit n_inner.
    config = config_of(architectures=['GPT2Model'], n_inner=40, layer_norm_epsilon=1e-6)
    model = ref.GPT2Model(config)
    randomize(model, 12, 'F16')
    write('gpt2-base-f16', model, config, 'F16', dict(model.state_dict()), lm=False)


if __name__ == '__main__':
    main()
