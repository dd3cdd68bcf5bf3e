"""Writes tiny random Hugging Face checkpoints and reference outputs into
packages/models/src/hf/__fixtures__/<name>/: config.json, model.safetensors (F32, F16 or BF16, with
or without the base-model prefix), tokenizer.json + tokenizer_config.json for the text models, and
reference.json (inputs; eval-mode last_hidden_state, pooler_output, logits, hidden_states,
attentions; the loss of one labelled batch) plus gradients.safetensors (that loss's gradient for
every parameter, under its HF name). The models are hf_reference.py's, written from the published
architectures. Weights stored as F16/BF16 are rounded first, so the references are what a float32
run of the stored weights computes. Dropout is off (model.eval()) for outputs and gradients alike.

  /usr/bin/python3 packages/models/scripts/hf/make_hf_fixtures.py [fixture names…]   (default: all)
"""

import json
import os
import re
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_reference as ref  # noqa: E402
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'hf', '__fixtures__')
DTYPES = {'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16}

# A tiny WordPiece vocabulary (BERT conventions: [PAD] 0, lowercase, ## continuations).
VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'dog', 'sat', 'on', 'mat', 'a', 'is', 'cute', 'my',
         'hello', ',', '.', '!', 'run', 'play', 'heed', 'attention', 'model', 'good', 'bad', 'not', 'very', 'film', 'this',
         '##s', '##ing', '##ed', '##ly', 'un', '##like', 'i', 'it', 'was', 'and']
SIZES = dict(vocab_size=len(VOCAB), hidden_size=24, num_hidden_layers=2, num_attention_heads=3, intermediate_size=32,
             max_position_embeddings=16)


def wordpiece(text):
    """BertNormalizer(lowercase) + BertPreTokenizer + greedy longest-match WordPiece, for VOCAB."""
    ids = []
    for word in re.findall(r"\w+|[^\w\s]", text.lower()):
        start, pieces = 0, []
        while start < len(word):
            end = len(word)
            while end > start and (('##' if start else '') + word[start:end]) not in VOCAB:
                end -= 1
            if end == start:
                pieces = [VOCAB.index('[UNK]')]
                break
            pieces.append(VOCAB.index(('##' if start else '') + word[start:end]))
            start = end
        ids.extend(pieces)
    return ids


def tokenizer_json(max_length):
    special = lambda i: {'id': i, 'content': VOCAB[i], 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True}
    token = lambda name, type_id: {'SpecialToken': {'id': name, 'type_id': type_id}}
    seq = lambda name, type_id: {'Sequence': {'id': name, 'type_id': type_id}}
    return {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [special(i) for i in range(5)],
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True, 'strip_accents': None, 'lowercase': True},
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [token('[CLS]', 0), seq('A', 0), token('[SEP]', 0)],
            'pair': [token('[CLS]', 0), seq('A', 0), token('[SEP]', 0), seq('B', 1), token('[SEP]', 1)],
            'special_tokens': {name: {'id': name, 'ids': [VOCAB.index(name)], 'tokens': [name]} for name in ['[CLS]', '[SEP]']},
        },
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##', 'max_input_chars_per_word': 100,
                  'vocab': {piece: i for i, piece in enumerate(VOCAB)}},
    }, {'tokenizer_class': 'BertTokenizer', 'do_lower_case': True, 'model_max_length': max_length, 'cls_token': '[CLS]',
        'sep_token': '[SEP]', 'pad_token': '[PAD]', 'unk_token': '[UNK]', 'mask_token': '[MASK]'}


TEXTS = [('Hello, my dog is cute', 'the cat sat'), ('This film was not very good.', None)]


def bert_inputs(with_token_types=True):
    rows = []
    for first, second in TEXTS:
        ids = [2] + wordpiece(first) + [3]
        types = [0] * len(ids)
        if second:
            extra = wordpiece(second) + [3]
            ids += extra
            types += [1] * len(extra)
        rows.append((ids, types))
    length = max(len(ids) for ids, _ in rows)
    out = {'input_ids': [ids + [0] * (length - len(ids)) for ids, _ in rows],
           'attention_mask': [[1] * len(ids) + [0] * (length - len(ids)) for ids, _ in rows]}
    if with_token_types:
        out['token_type_ids'] = [types + [0] * (length - len(types)) for _, types in rows]
    return out


def roberta_inputs():
    # <s> 0 … </s> 2, padding 1 (RoBERTa's ids), random words from 3 up.
    generator = torch.Generator().manual_seed(5)
    words = torch.randint(3, SIZES['vocab_size'], (2, 9), generator=generator).tolist()
    rows = [[0] + words[0] + [2], [0] + words[1][:5] + [2]]
    length = max(map(len, rows))
    return {'input_ids': [row + [1] * (length - len(row)) for row in rows],
            'attention_mask': [[1] * len(row) + [0] * (length - len(row)) for row in rows]}


def randomize(model, seed, dtype):
    """Random weights everywhere (LayerNorm weights around 1), rounded through the storage dtype."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if re.search(r'(LayerNorm|layer_norm|layernorm[a-z_]*)\.weight$', name):
                parameter.copy_(1 + 0.1 * torch.randn_like(parameter))
            else:
                parameter.copy_(0.3 * torch.randn_like(parameter))
            parameter.copy_(parameter.to(DTYPES[dtype]).float())


def tolist(tensor):
    return [round(value, 6) for value in tensor.detach().flatten().tolist()], list(tensor.shape)


def record(outputs, keys):
    out = {}
    for key in keys:
        value = outputs.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            out[key] = [dict(zip(('data', 'shape'), tolist(item))) for item in value]
        else:
            out[key] = dict(zip(('data', 'shape'), tolist(value)))
    return out


def write(name, model, config, dtype, inputs, labels, extra_state=None, tokenizer=False, strip_prefix=None, drop=()):
    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    model.eval()
    state = model.state_dict_hf() if hasattr(model, 'state_dict_hf') else dict(model.state_dict())
    state = {key: value for key, value in state.items() if key not in drop}
    if strip_prefix:
        state = {key[len(strip_prefix):]: value for key, value in state.items()}
    state.update(extra_state or {})
    stored = {key: (value.to(DTYPES[dtype]) if value.is_floating_point() else value) for key, value in state.items()}
    save_file(stored, os.path.join(folder, 'model.safetensors'), {'format': 'pt'})
    with open(os.path.join(folder, 'config.json'), 'w') as out:
        json.dump(config, out, indent=2)
        out.write('\n')
    if tokenizer:
        tok, tok_config = tokenizer_json(config['max_position_embeddings'])
        with open(os.path.join(folder, 'tokenizer.json'), 'w') as out:
            json.dump(tok, out)
        with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as out:
            json.dump(tok_config, out, indent=2)
    tensors = {key: torch.tensor(value) if key != 'pixel_values' else torch.tensor(value, dtype=torch.float32) for key, value in inputs.items()}
    with torch.no_grad():
        outputs = model(**tensors)
    reference = {'inputs': inputs, 'outputs': record(outputs, ['last_hidden_state', 'pooler_output', 'logits', 'hidden_states', 'attentions'])}
    reference['num_parameters'] = sum(parameter.numel() for parameter in model.parameters())  # PyTorch's count, fixed tables included
    if labels is not None:
        model.zero_grad()
        loss = model(**tensors, labels=torch.tensor(labels))['loss']
        loss.backward()
        reference['labels'] = labels
        reference['loss'] = loss.item()
        gradients = {}
        for key, parameter in model.named_parameters():
            if parameter.grad is not None:
                hf_key = 'vocab_projector.bias' if key == 'vocab_projector_bias' else key
                gradients[hf_key[len(strip_prefix):] if strip_prefix else hf_key] = parameter.grad.detach().clone()
        save_file(gradients, os.path.join(folder, 'gradients.safetensors'), {'format': 'pt', 'loss': repr(loss.item())})
    with open(os.path.join(folder, 'reference.json'), 'w') as out:
        json.dump(reference, out, separators=(',', ':'))
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print(f'{name}: {len(stored)} tensors, {size / 1024:.1f} KiB')


def bert_config(architecture, **overrides):
    return {'architectures': [architecture], 'model_type': 'bert', **SIZES, 'hidden_act': 'gelu', 'hidden_dropout_prob': 0.1,
            'attention_probs_dropout_prob': 0.1, 'type_vocab_size': 2, 'initializer_range': 0.02, 'layer_norm_eps': 1e-12,
            'pad_token_id': 0, 'position_embedding_type': 'absolute', **overrides}


def check_against_torch_layers():
    """The reference layers equal torch's own nn.TransformerEncoderLayer with the same weights:
    BertLayer as post-norm (norm_first=False), ViTLayer as pre-norm (norm_first=True), both GELU."""
    torch.manual_seed(0)
    c = {**SIZES, 'hidden_act': 'gelu', 'hidden_dropout_prob': 0.0, 'attention_probs_dropout_prob': 0.0, 'layer_norm_eps': 1e-12, 'qkv_bias': True}
    x = torch.randn(2, 5, 24)
    for layer, norm_first in ((ref.BertLayer(c), False), (ref.ViTLayer(c), True)):
        layer.eval()
        for parameter in layer.parameters():
            torch.nn.init.normal_(parameter, 0, 0.3)
        torch_layer = torch.nn.TransformerEncoderLayer(24, 3, 32, dropout=0.0, activation='gelu', layer_norm_eps=1e-12, batch_first=True, norm_first=norm_first).eval()
        attention = layer.attention.self if not norm_first else layer.attention.attention
        out_dense = layer.attention.output.dense
        with torch.no_grad():
            torch_layer.self_attn.in_proj_weight.copy_(torch.cat([attention.query.weight, attention.key.weight, attention.value.weight]))
            torch_layer.self_attn.in_proj_bias.copy_(torch.cat([attention.query.bias, attention.key.bias, attention.value.bias]))
            torch_layer.self_attn.out_proj.weight.copy_(out_dense.weight)
            torch_layer.self_attn.out_proj.bias.copy_(out_dense.bias)
            torch_layer.linear1.load_state_dict(layer.intermediate.dense.state_dict())
            torch_layer.linear2.load_state_dict(layer.output.dense.state_dict())
            if norm_first:
                torch_layer.norm1.load_state_dict(layer.layernorm_before.state_dict())
                torch_layer.norm2.load_state_dict(layer.layernorm_after.state_dict())
                ours = layer(x)[0]
            else:
                torch_layer.norm1.load_state_dict(layer.attention.output.LayerNorm.state_dict())
                torch_layer.norm2.load_state_dict(layer.output.LayerNorm.state_dict())
                ours = layer(x, None)[0]
            difference = (ours - torch_layer(x)).abs().max().item()
        assert difference < 1e-5, (type(layer).__name__, difference)
    print('reference layers match torch.nn.TransformerEncoderLayer (post-norm BERT, pre-norm ViT)')


def main(only=()):
    want = lambda name: not only or name in only
    check_against_torch_layers()
    labels3 = {'id2label': {'0': 'negative', '1': 'neutral', '2': 'positive'}, 'label2id': {'negative': 0, 'neutral': 1, 'positive': 2}}

    # BertForSequenceClassification, F32, bert. prefix, the old persistent position_ids buffer (I64).
    config = bert_config('BertForSequenceClassification', **labels3)
    model = ref.BertForSequenceClassification(config)
    randomize(model, 1, 'F32')
    if want('bert-seq-cls-f32'):
        write('bert-seq-cls-f32', model, config, 'F32', bert_inputs(), [2, 0], tokenizer=True)

    # BertForMaskedLM, F16, with the tied decoder weight stored too (as older conversions did).
    config = bert_config('BertForMaskedLM')
    model = ref.BertForMaskedLM(config)
    randomize(model, 2, 'F16')
    inputs = bert_inputs()
    inputs['input_ids'][0][4] = VOCAB.index('[MASK]')
    labels = [[-100] * len(row) for row in inputs['input_ids']]
    labels[0][4] = VOCAB.index('dog')
    labels[1][3] = VOCAB.index('was')
    tied = {'cls.predictions.decoder.weight': model.bert.embeddings.word_embeddings.weight.detach().clone()}
    if want('bert-mlm-f16'):
        write('bert-mlm-f16', model, config, 'F16', inputs, labels, extra_state=tied, tokenizer=True, drop=('bert.embeddings.position_ids',))

    # BertModel as BertModel.save_pretrained writes it: no prefix, BF16, pooler, gelu_new.
    config = bert_config('BertModel', hidden_act='gelu_new')
    model = ref.BertModel(config)
    randomize(model, 3, 'BF16')
    if want('bert-base-bf16'):
        write('bert-base-bf16', model, config, 'BF16', bert_inputs(), None, drop=('embeddings.position_ids',))

    # RobertaForSequenceClassification: positions after the padding id, one token type, eps 1e-5.
    config = {**bert_config('RobertaForSequenceClassification', layer_norm_eps=1e-5, type_vocab_size=1, pad_token_id=1),
              'model_type': 'roberta', 'bos_token_id': 0, 'eos_token_id': 2, 'max_position_embeddings': 18}
    model = ref.RobertaForSequenceClassification(config | {'id2label': {'0': 'LABEL_0', '1': 'LABEL_1'}})
    randomize(model, 4, 'F32')
    if want('roberta-seq-cls-f32'):
        write('roberta-seq-cls-f32', model, config, 'F32', roberta_inputs(), [1, 0], drop=('roberta.embeddings.position_ids',))

    # DistilBertForSequenceClassification (its own field names; no token types).
    config = {'architectures': ['DistilBertForSequenceClassification'], 'model_type': 'distilbert', 'vocab_size': len(VOCAB),
              'dim': 24, 'n_layers': 2, 'n_heads': 3, 'hidden_dim': 32, 'max_position_embeddings': 16, 'activation': 'gelu',
              'dropout': 0.1, 'attention_dropout': 0.1, 'seq_classif_dropout': 0.2, 'sinusoidal_pos_embds': False, 'pad_token_id': 0,
              'id2label': {'0': 'NEGATIVE', '1': 'POSITIVE'}, 'label2id': {'NEGATIVE': 0, 'POSITIVE': 1}}
    model = ref.DistilBertForSequenceClassification(config)
    randomize(model, 5, 'F32')
    if want('distilbert-seq-cls-f32'):
        write('distilbert-seq-cls-f32', model, config, 'F32', bert_inputs(with_token_types=False), [1, 0], tokenizer=True)

    # BertForTokenClassification: a label on every position, padding included, so the padding row
    # of the word embeddings would get a gradient but for padding_idx.
    config = bert_config('BertForTokenClassification', **labels3)
    model = ref.BertForTokenClassification(config)
    randomize(model, 7, 'F32')
    inputs = bert_inputs()
    labels = [[(i * 7 + j) % 3 for j in range(len(row))] for i, row in enumerate(inputs['input_ids'])]
    if want('bert-token-cls-f32'):
        write('bert-token-cls-f32', model, config, 'F32', inputs, labels, drop=('bert.embeddings.position_ids',))

    # RobertaForMaskedLM (its LM head always uses erf GELU) and DistilBertForMaskedLM, decoders tied to the word embeddings.
    config = {**bert_config('RobertaForMaskedLM', layer_norm_eps=1e-5, type_vocab_size=1, pad_token_id=1, hidden_act='gelu_new'),
              'model_type': 'roberta', 'bos_token_id': 0, 'eos_token_id': 2, 'max_position_embeddings': 18}
    model = ref.RobertaForMaskedLM(config | {'id2label': {'0': 'LABEL_0', '1': 'LABEL_1'}})
    randomize(model, 8, 'F32')
    inputs = roberta_inputs()
    labels = [[-100] * len(row) for row in inputs['input_ids']]
    labels[0][2], labels[0][5], labels[1][3] = 7, 11, 20
    if want('roberta-mlm-f32'):
        write('roberta-mlm-f32', model, config, 'F32', inputs, labels, drop=('roberta.embeddings.position_ids',))

    config = {'architectures': ['DistilBertForMaskedLM'], 'model_type': 'distilbert', 'vocab_size': len(VOCAB),
              'dim': 24, 'n_layers': 2, 'n_heads': 3, 'hidden_dim': 32, 'max_position_embeddings': 16, 'activation': 'gelu',
              'dropout': 0.1, 'attention_dropout': 0.1, 'sinusoidal_pos_embds': True, 'pad_token_id': 0}
    model = ref.DistilBertForMaskedLM(config | {'id2label': {'0': 'LABEL_0', '1': 'LABEL_1'}})
    randomize(model, 9, 'F32')
    with torch.no_grad():  # randomize() overwrote the fixed sinusoidal table: put it back
        model.distilbert.embeddings.position_embeddings.weight.copy_(ref.sinusoidal_table(16, 24))
    inputs = bert_inputs(with_token_types=False)
    inputs['input_ids'][0][4] = VOCAB.index('[MASK]')
    labels = [[-100] * len(row) for row in inputs['input_ids']]
    labels[0][4] = VOCAB.index('dog')
    labels[1][2] = VOCAB.index('film')
    if want('distilbert-mlm-f32'):
        write('distilbert-mlm-f32', model, config, 'F32', inputs, labels)

    # ViTForImageClassification: 16×16×3 images, 4×4 patches (16 + [CLS] tokens).
    config = {'architectures': ['ViTForImageClassification'], 'model_type': 'vit', 'hidden_size': 24, 'num_hidden_layers': 2,
              'num_attention_heads': 3, 'intermediate_size': 32, 'hidden_act': 'gelu', 'hidden_dropout_prob': 0.0,
              'attention_probs_dropout_prob': 0.0, 'layer_norm_eps': 1e-12, 'image_size': 16, 'patch_size': 4, 'num_channels': 3,
              'qkv_bias': True, **labels3}
    model = ref.ViTForImageClassification(config)
    randomize(model, 6, 'F32')
    pixels = torch.randn(2, 3, 16, 16, generator=torch.Generator().manual_seed(7))
    if want('vit-image-cls-f32'):
        write('vit-image-cls-f32', model, config, 'F32', {'pixel_values': [[[[round(v, 4) for v in row] for row in channel] for channel in image] for image in pixels.tolist()]}, [0, 2])

    # ViT with qkv_bias false: query/key/value are Linear(bias=False), so the checkpoint has no such biases.
    config = {**config, 'architectures': ['ViTForImageClassification'], 'num_hidden_layers': 1, 'qkv_bias': False}
    model = ref.ViTForImageClassification(config)
    randomize(model, 10, 'F32')
    if want('vit-no-qkv-bias-f32'):
        write('vit-no-qkv-bias-f32', model, config, 'F32', {'pixel_values': [[[[round(v, 4) for v in row] for row in channel] for channel in image] for image in pixels.tolist()]}, [1, 2])

    # RobertaForTokenClassification and DistilBertForTokenClassification: a label on every real token, -100 on padding.
    config = {**bert_config('RobertaForTokenClassification', layer_norm_eps=1e-5, type_vocab_size=1, pad_token_id=1, **labels3),
              'model_type': 'roberta', 'bos_token_id': 0, 'eos_token_id': 2, 'max_position_embeddings': 18}
    model = ref.RobertaForTokenClassification(config)
    randomize(model, 11, 'F32')
    inputs = roberta_inputs()
    labels = [[(i * 5 + j) % 3 if mask else -100 for j, mask in enumerate(row)] for i, row in enumerate(inputs['attention_mask'])]
    if want('roberta-token-cls-f32'):
        write('roberta-token-cls-f32', model, config, 'F32', inputs, labels, drop=('roberta.embeddings.position_ids',))

    config = {'architectures': ['DistilBertForTokenClassification'], 'model_type': 'distilbert', 'vocab_size': len(VOCAB),
              'dim': 24, 'n_layers': 2, 'n_heads': 3, 'hidden_dim': 32, 'max_position_embeddings': 16, 'activation': 'gelu',
              'dropout': 0.1, 'attention_dropout': 0.1, 'sinusoidal_pos_embds': False, 'pad_token_id': 0, **labels3}
    model = ref.DistilBertForTokenClassification(config)
    randomize(model, 12, 'F32')
    inputs = bert_inputs(with_token_types=False)
    labels = [[(i * 3 + j) % 3 for j in range(len(row))] for i, row in enumerate(inputs['input_ids'])]
    if want('distilbert-token-cls-f32'):
        write('distilbert-token-cls-f32', model, config, 'F32', inputs, labels, tokenizer=True)


if __name__ == '__main__':
    main(sys.argv[1:])
