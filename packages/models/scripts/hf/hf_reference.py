"""BERT, RoBERTa, DistilBERT and ViT in plain PyTorch 1.13, written from the published definitions
(Hugging Face transformers' modeling_bert.py, modeling_roberta.py, modeling_distilbert.py,
modeling_vit.py semantics; our own code). Parameter names equal transformers' state-dict keys, so
`model.state_dict()` is a Hugging Face checkpoint. Debian has no `transformers` package: these
modules are heed's independent reference.

Semantics kept (each a place where implementations differ):
- BERT/RoBERTa: post-LayerNorm, additive mask (1 - mask) * finfo.min, GELU per hidden_act (gelu =
  erf), tanh pooler on the first token, MLM head transform (dense, act, LayerNorm) and a decoder
  tied to the word embeddings plus its own bias.
- RoBERTa: position ids = cumsum(input_ids != pad) * (input_ids != pad) + pad; classification head
  dense-tanh-out_proj on <s>; its LM head always uses erf GELU.
- DistilBERT: no token types, LayerNorm eps 1e-12 hard-coded, queries scaled before the matmul,
  masked_fill(mask == 0, finfo.min), pre_classifier + ReLU head on the first token.
- ViT: pre-LayerNorm, Conv2d patch projection (out, in, kh, kw), [CLS] token, final LayerNorm.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


def activation(name):
    if name == 'gelu':
        return lambda x: F.gelu(x)
    if name in ('gelu_new', 'gelu_pytorch_tanh', 'gelu_fast'):
        return lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
    if name == 'relu':
        return F.relu
    if name in ('silu', 'swish'):
        return F.silu
    if name == 'quick_gelu':
        return lambda x: x * torch.sigmoid(1.702 * x)
    raise ValueError(f'hidden_act {name!r}')


def extended_mask(mask, dtype):
    """(batch, keys) 1 = attend → additive (batch, 1, 1, keys), as get_extended_attention_mask."""
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def split_heads(x, heads):
    batch, time, width = x.shape
    return x.view(batch, time, heads, width // heads).permute(0, 2, 1, 3)  # (batch, heads, time, head_dim)


def merge_heads(x):
    batch, heads, time, head_dim = x.shape
    return x.permute(0, 2, 1, 3).reshape(batch, time, heads * head_dim)  # (batch, time, width)


# ---------------------------------------------------------------- BERT / RoBERTa

class BertSelfAttention(nn.Module):
    def __init__(self, c, bias=True):
        super().__init__()
        self.heads = c['num_attention_heads']
        self.query = nn.Linear(c['hidden_size'], c['hidden_size'], bias=bias)
        self.key = nn.Linear(c['hidden_size'], c['hidden_size'], bias=bias)
        self.value = nn.Linear(c['hidden_size'], c['hidden_size'], bias=bias)
        self.dropout = nn.Dropout(c['attention_probs_dropout_prob'])

    def forward(self, hidden, additive_mask):
        query = split_heads(self.query(hidden), self.heads)
        key = split_heads(self.key(hidden), self.heads)
        value = split_heads(self.value(hidden), self.heads)
        scores = query @ key.transpose(-1, -2) / math.sqrt(query.shape[-1])  # (batch, heads, T, S)
        if additive_mask is not None:
            scores = scores + additive_mask
        weights = self.dropout(torch.softmax(scores, dim=-1))
        return merge_heads(weights @ value), weights


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, context, residual):
        return self.LayerNorm(self.dropout(self.dense(context)) + residual)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, hidden, additive_mask):
        context, weights = self.self(hidden, additive_mask)
        return self.output(context, hidden), weights


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['intermediate_size'])
        self.act = activation(c['hidden_act'])

    def forward(self, hidden):
        return self.act(self.dense(hidden))


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['intermediate_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dropout(self.dense(hidden)) + residual)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, hidden, additive_mask):
        attention_output, weights = self.attention(hidden, additive_mask)
        return self.output(self.intermediate(attention_output), attention_output), weights


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c['num_hidden_layers'])])

    def forward(self, hidden, additive_mask):
        states, attentions = [hidden], []
        for layer in self.layer:
            hidden, weights = layer(hidden, additive_mask)
            states.append(hidden)
            attentions.append(weights)
        return hidden, states, attentions


class BertEmbeddings(nn.Module):
    def __init__(self, c, roberta=False):
        super().__init__()
        pad = c.get('pad_token_id')
        self.roberta = roberta
        self.padding_idx = pad
        self.word_embeddings = nn.Embedding(c['vocab_size'], c['hidden_size'], padding_idx=pad)
        self.position_embeddings = nn.Embedding(c['max_position_embeddings'], c['hidden_size'], padding_idx=pad if roberta else None)
        self.token_type_embeddings = nn.Embedding(c['type_vocab_size'], c['hidden_size'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])
        self.register_buffer('position_ids', torch.arange(c['max_position_embeddings']).expand((1, -1)))

    def forward(self, input_ids, token_type_ids):
        if self.roberta:
            not_pad = input_ids.ne(self.padding_idx).int()
            position_ids = (torch.cumsum(not_pad, dim=1).type_as(not_pad) * not_pad).long() + self.padding_idx
        else:
            position_ids = self.position_ids[:, :input_ids.shape[1]]
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        embeddings = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids) + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(embeddings))


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])

    def forward(self, hidden):
        return torch.tanh(self.dense(hidden[:, 0]))


class BertModel(nn.Module):
    """BertModel / RobertaModel: returns a dict of HF output names."""

    def __init__(self, c, add_pooling_layer=True, roberta=False):
        super().__init__()
        self.embeddings = BertEmbeddings(c, roberta)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c) if add_pooling_layer else None

    def forward(self, input_ids, attention_mask=None, token_type_ids=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        hidden = self.embeddings(input_ids, token_type_ids)
        last, states, attentions = self.encoder(hidden, extended_mask(attention_mask, hidden.dtype))
        out = {'last_hidden_state': last, 'hidden_states': states, 'attentions': attentions}
        if self.pooler is not None:
            out['pooler_output'] = self.pooler(last)
        return out


def classification_loss(c, logits, labels):
    if labels is None:
        return None
    if len(c['id2label']) == 1:
        return F.mse_loss(logits.squeeze(-1), labels.float())
    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1))


class BertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.bert = BertModel(c)
        dropout = c.get('classifier_dropout')
        self.dropout = nn.Dropout(c['hidden_dropout_prob'] if dropout is None else dropout)
        self.classifier = nn.Linear(c['hidden_size'], len(c['id2label']))

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        out = self.bert(input_ids, attention_mask, token_type_ids)
        out['logits'] = self.classifier(self.dropout(out['pooler_output']))
        out['loss'] = classification_loss(self.config, out['logits'], labels)
        return out


class BertPredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.act = activation(c['hidden_act'])
        self.LayerNorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])

    def forward(self, hidden):
        return self.LayerNorm(self.act(self.dense(hidden)))


class BertLMPredictionHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.transform = BertPredictionHeadTransform(c)
        self.word_embeddings = [word_embeddings]  # tied: not a submodule, not in the state dict
        self.bias = nn.Parameter(torch.zeros(c['vocab_size']))

    def forward(self, hidden):
        return self.transform(hidden) @ self.word_embeddings[0].weight.t() + self.bias


class BertOnlyMLMHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.predictions = BertLMPredictionHead(c, word_embeddings)

    def forward(self, hidden):
        return self.predictions(hidden)


def masked_lm_loss(logits, labels):
    return None if labels is None else F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100)


class BertForMaskedLM(nn.Module):
    """cls.predictions.decoder.weight is the word embedding (tied); its bias is cls.predictions.bias."""

    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c, add_pooling_layer=False)
        self.cls = BertOnlyMLMHead(c, self.bert.embeddings.word_embeddings)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        out = self.bert(input_ids, attention_mask, token_type_ids)
        out['logits'] = self.cls(out['last_hidden_state'])
        out['loss'] = masked_lm_loss(out['logits'], labels)
        return out


class BertForTokenClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c, add_pooling_layer=False)
        dropout = c.get('classifier_dropout')
        self.dropout = nn.Dropout(c['hidden_dropout_prob'] if dropout is None else dropout)
        self.classifier = nn.Linear(c['hidden_size'], len(c['id2label']))

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        out = self.bert(input_ids, attention_mask, token_type_ids)
        out['logits'] = self.classifier(self.dropout(out['last_hidden_state']))
        out['loss'] = None if labels is None else F.cross_entropy(out['logits'].view(-1, out['logits'].shape[-1]), labels.view(-1), ignore_index=-100)
        return out


class RobertaClassificationHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        dropout = c.get('classifier_dropout')
        self.dropout = nn.Dropout(c['hidden_dropout_prob'] if dropout is None else dropout)
        self.out_proj = nn.Linear(c['hidden_size'], len(c['id2label']))

    def forward(self, hidden):
        x = self.dropout(hidden[:, 0, :])
        x = self.dropout(torch.tanh(self.dense(x)))
        return self.out_proj(x)


class RobertaForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.roberta = BertModel(c, add_pooling_layer=False, roberta=True)
        self.classifier = RobertaClassificationHead(c)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        out = self.roberta(input_ids, attention_mask, token_type_ids)
        out['logits'] = self.classifier(out['last_hidden_state'])
        out['loss'] = classification_loss(self.config, out['logits'], labels)
        return out


class RobertaForTokenClassification(nn.Module):
    """modeling_roberta.py: RoBERTa without a pooler, dropout (classifier_dropout, else hidden_dropout_prob), classifier on every token."""
    def __init__(self, c):
        super().__init__()
        self.roberta = BertModel(c, add_pooling_layer=False, roberta=True)
        dropout = c.get('classifier_dropout')
        self.dropout = nn.Dropout(c['hidden_dropout_prob'] if dropout is None else dropout)
        self.classifier = nn.Linear(c['hidden_size'], len(c['id2label']))

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        out = self.roberta(input_ids, attention_mask, token_type_ids)
        out['logits'] = self.classifier(self.dropout(out['last_hidden_state']))
        out['loss'] = None if labels is None else F.cross_entropy(out['logits'].view(-1, out['logits'].shape[-1]), labels.view(-1), ignore_index=-100)
        return out


class RobertaLMHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.layer_norm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.word_embeddings = [word_embeddings]
        self.bias = nn.Parameter(torch.zeros(c['vocab_size']))

    def forward(self, hidden):
        x = self.layer_norm(F.gelu(self.dense(hidden)))  # always erf GELU, whatever hidden_act says
        return x @ self.word_embeddings[0].weight.t() + self.bias


class RobertaForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta = BertModel(c, add_pooling_layer=False, roberta=True)
        self.lm_head = RobertaLMHead(c, self.roberta.embeddings.word_embeddings)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        out = self.roberta(input_ids, attention_mask, token_type_ids)
        out['logits'] = self.lm_head(out['last_hidden_state'])
        out['loss'] = masked_lm_loss(out['logits'], labels)
        return out


# ---------------------------------------------------------------- DistilBERT

DISTILBERT_EPS = 1e-12


def sinusoidal_table(positions, dim):
    table = torch.tensor([[pos / 10000 ** (2 * (j // 2) / dim) for j in range(dim)] for pos in range(positions)], dtype=torch.float64)
    out = torch.zeros(positions, dim)
    out[:, 0::2] = torch.sin(table[:, 0::2]).float()
    out[:, 1::2] = torch.cos(table[:, 1::2]).float()
    return out


class DistilBertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c['vocab_size'], c['dim'], padding_idx=c.get('pad_token_id'))
        self.position_embeddings = nn.Embedding(c['max_position_embeddings'], c['dim'])
        if c.get('sinusoidal_pos_embds'):
            with torch.no_grad():
                self.position_embeddings.weight.copy_(sinusoidal_table(c['max_position_embeddings'], c['dim']))
            self.position_embeddings.weight.requires_grad = False
        self.LayerNorm = nn.LayerNorm(c['dim'], eps=DISTILBERT_EPS)
        self.dropout = nn.Dropout(c['dropout'])

    def forward(self, input_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None, :]
        return self.dropout(self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(positions)))


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c['n_heads']
        self.q_lin = nn.Linear(c['dim'], c['dim'])
        self.k_lin = nn.Linear(c['dim'], c['dim'])
        self.v_lin = nn.Linear(c['dim'], c['dim'])
        self.out_lin = nn.Linear(c['dim'], c['dim'])
        self.dropout = nn.Dropout(c['attention_dropout'])

    def forward(self, hidden, mask):
        query = split_heads(self.q_lin(hidden), self.heads)
        key = split_heads(self.k_lin(hidden), self.heads)
        value = split_heads(self.v_lin(hidden), self.heads)
        query = query / math.sqrt(query.shape[-1])
        scores = query @ key.transpose(-1, -2)  # (batch, heads, T, S)
        scores = scores.masked_fill((mask == 0)[:, None, None, :], torch.finfo(scores.dtype).min)
        weights = self.dropout(torch.softmax(scores, dim=-1))
        return self.out_lin(merge_heads(weights @ value)), weights


class FFN(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.lin1 = nn.Linear(c['dim'], c['hidden_dim'])
        self.lin2 = nn.Linear(c['hidden_dim'], c['dim'])
        self.act = activation(c['activation'])
        self.dropout = nn.Dropout(c['dropout'])

    def forward(self, hidden):
        return self.dropout(self.lin2(self.act(self.lin1(hidden))))


class TransformerBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = MultiHeadSelfAttention(c)
        self.sa_layer_norm = nn.LayerNorm(c['dim'], eps=DISTILBERT_EPS)
        self.ffn = FFN(c)
        self.output_layer_norm = nn.LayerNorm(c['dim'], eps=DISTILBERT_EPS)

    def forward(self, hidden, mask):
        attention_output, weights = self.attention(hidden, mask)
        attention_output = self.sa_layer_norm(attention_output + hidden)
        return self.output_layer_norm(self.ffn(attention_output) + attention_output), weights


class DistilBertTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([TransformerBlock(c) for _ in range(c['n_layers'])])

    def forward(self, hidden, mask):
        states, attentions = [hidden], []
        for layer in self.layer:
            hidden, weights = layer(hidden, mask)
            states.append(hidden)
            attentions.append(weights)
        return hidden, states, attentions


class DistilBertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = DistilBertEmbeddings(c)
        self.transformer = DistilBertTransformer(c)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        last, states, attentions = self.transformer(self.embeddings(input_ids), attention_mask)
        return {'last_hidden_state': last, 'hidden_states': states, 'attentions': attentions}


class DistilBertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.distilbert = DistilBertModel(c)
        self.pre_classifier = nn.Linear(c['dim'], c['dim'])
        self.classifier = nn.Linear(c['dim'], len(c['id2label']))
        self.dropout = nn.Dropout(c['seq_classif_dropout'])

    def forward(self, input_ids, attention_mask=None, labels=None):
        out = self.distilbert(input_ids, attention_mask)
        pooled = self.dropout(F.relu(self.pre_classifier(out['last_hidden_state'][:, 0])))
        out['logits'] = self.classifier(pooled)
        out['loss'] = classification_loss(self.config, out['logits'], labels)
        return out


class DistilBertForTokenClassification(nn.Module):
    """modeling_distilbert.py: DistilBERT, dropout (config.dropout), classifier on every token."""
    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.dropout = nn.Dropout(c['dropout'])
        self.classifier = nn.Linear(c['dim'], len(c['id2label']))

    def forward(self, input_ids, attention_mask=None, labels=None):
        out = self.distilbert(input_ids, attention_mask)
        out['logits'] = self.classifier(self.dropout(out['last_hidden_state']))
        out['loss'] = None if labels is None else F.cross_entropy(out['logits'].view(-1, out['logits'].shape[-1]), labels.view(-1), ignore_index=-100)
        return out


class DistilBertForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.vocab_transform = nn.Linear(c['dim'], c['dim'])
        self.act = activation(c['activation'])
        self.vocab_layer_norm = nn.LayerNorm(c['dim'], eps=DISTILBERT_EPS)
        self.word_embeddings = [self.distilbert.embeddings.word_embeddings]  # vocab_projector.weight, tied
        self.vocab_projector_bias = nn.Parameter(torch.zeros(c['vocab_size']))

    def state_dict_hf(self):
        state = dict(self.state_dict())
        state['vocab_projector.bias'] = state.pop('vocab_projector_bias')
        return state

    def forward(self, input_ids, attention_mask=None, labels=None):
        out = self.distilbert(input_ids, attention_mask)
        x = self.vocab_layer_norm(self.act(self.vocab_transform(out['last_hidden_state'])))
        out['logits'] = x @ self.word_embeddings[0].weight.t() + self.vocab_projector_bias
        out['loss'] = masked_lm_loss(out['logits'], labels)
        return out


# ---------------------------------------------------------------- ViT

class ViTPatchEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.projection = nn.Conv2d(c['num_channels'], c['hidden_size'], kernel_size=c['patch_size'], stride=c['patch_size'])

    def forward(self, pixel_values):
        return self.projection(pixel_values).flatten(2).transpose(1, 2)  # (batch, patches, hidden)


class ViTEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        patches = (c['image_size'] // c['patch_size']) ** 2
        self.cls_token = nn.Parameter(torch.randn(1, 1, c['hidden_size']) * 0.02)
        self.patch_embeddings = ViTPatchEmbeddings(c)
        self.position_embeddings = nn.Parameter(torch.randn(1, patches + 1, c['hidden_size']) * 0.02)
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, pixel_values):
        patches = self.patch_embeddings(pixel_values)
        tokens = torch.cat([self.cls_token.expand(patches.shape[0], -1, -1), patches], dim=1)
        return self.dropout(tokens + self.position_embeddings)


class ViTSelfAttentionBlock(nn.Module):
    """Holds `attention` (query/key/value, possibly without biases) and `output` (dense)."""

    def __init__(self, c):
        super().__init__()
        self.attention = BertSelfAttention(c, bias=c['qkv_bias'])
        self.output = ViTSelfOutput(c)

    def forward(self, hidden):
        context, weights = self.attention(hidden, None)
        return self.output(context), weights


class ViTSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, hidden):
        return self.dropout(self.dense(hidden))


class ViTOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c['intermediate_size'], c['hidden_size'])
        self.dropout = nn.Dropout(c['hidden_dropout_prob'])

    def forward(self, hidden, residual):
        return self.dropout(self.dense(hidden)) + residual


class ViTLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = ViTSelfAttentionBlock(c)
        self.intermediate = BertIntermediate(c)
        self.output = ViTOutput(c)
        self.layernorm_before = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.layernorm_after = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])

    def forward(self, hidden):
        attention_output, weights = self.attention(self.layernorm_before(hidden))
        hidden = attention_output + hidden
        return self.output(self.intermediate(self.layernorm_after(hidden)), hidden), weights


class ViTEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([ViTLayer(c) for _ in range(c['num_hidden_layers'])])


class ViTModel(nn.Module):
    def __init__(self, c, add_pooling_layer=True):
        super().__init__()
        self.embeddings = ViTEmbeddings(c)
        self.encoder = ViTEncoder(c)
        self.layernorm = nn.LayerNorm(c['hidden_size'], eps=c['layer_norm_eps'])
        self.pooler = BertPooler(c) if add_pooling_layer else None

    def forward(self, pixel_values):
        hidden = self.embeddings(pixel_values)
        states, attentions = [hidden], []
        for layer in self.encoder.layer:
            hidden, weights = layer(hidden)
            states.append(hidden)
            attentions.append(weights)
        last = self.layernorm(hidden)
        out = {'last_hidden_state': last, 'hidden_states': states, 'attentions': attentions}
        if self.pooler is not None:
            out['pooler_output'] = self.pooler(last)
        return out


class ViTForImageClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.vit = ViTModel(c, add_pooling_layer=False)
        self.classifier = nn.Linear(c['hidden_size'], len(c['id2label']))

    def forward(self, pixel_values, labels=None):
        out = self.vit(pixel_values)
        out['logits'] = self.classifier(out['last_hidden_state'][:, 0, :])
        out['loss'] = classification_loss(self.config, out['logits'], labels)
        return out
