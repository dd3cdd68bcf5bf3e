"""GPT-2 in plain PyTorch 1.13, written from the published architecture (Radford et al. 2019, and
the semantics of Hugging Face transformers' modeling_gpt2.py; our own code). Parameter names equal
transformers' state-dict keys, so `model.state_dict()` is a Hugging Face checkpoint. Debian has no
`transformers` package: this module is heed's independent reference for GPT-2.

Semantics kept (each a place where implementations differ):
- Conv1D layers: weight stored (in, out), y = x @ W + b (no transpose).
- c_attn packs query, key and value along its output axis: (n_embd, 3 * n_embd).
- Pre-LayerNorm blocks (ln_1, attn, residual; ln_2, mlp, residual), a final ln_f, eps layer_norm_epsilon.
- gelu_new (tanh approximation) per activation_function; n_inner None means 4 * n_embd.
- Attention scores scaled by 1/sqrt(head_dim); the causal mask fills finfo.min, then the padding mask
  adds (1 - mask) * finfo.min.
- lm_head tied to wte (no bias); the causal-LM loss shifts: logits[:, :-1] predict labels[:, 1:],
  -100 ignored.
- past_key_values: each layer's keys and values (batch, heads, time, head_dim), concatenated per step.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


ACTIVATIONS = {'gelu_new': gelu_new, 'gelu_pytorch_tanh': gelu_new, 'gelu_fast': gelu_new, 'gelu': F.gelu, 'relu': F.relu}


class Conv1D(nn.Module):
    """transformers' Conv1D: a Linear whose weight is stored (in, out)."""

    def __init__(self, out_features, in_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return x @ self.weight + self.bias


class GPT2Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c['n_head']
        self.width = c['n_embd']
        self.c_attn = Conv1D(3 * self.width, self.width)
        self.c_proj = Conv1D(self.width, self.width)
        self.attn_dropout = nn.Dropout(c['attn_pdrop'])
        self.resid_dropout = nn.Dropout(c['resid_pdrop'])

    def split(self, x):
        batch, time, _ = x.shape
        return x.view(batch, time, self.heads, self.width // self.heads).permute(0, 2, 1, 3)  # (batch, heads, time, head_dim)

    def forward(self, hidden, additive_mask, past=None):
        query, key, value = self.c_attn(hidden).split(self.width, dim=2)
        query, key, value = self.split(query), self.split(key), self.split(value)
        if past is not None:
            key = torch.cat([past[0], key], dim=2)
            value = torch.cat([past[1], value], dim=2)
        present = (key, value)
        scores = query @ key.transpose(-1, -2) / math.sqrt(value.shape[-1])  # (batch, heads, T, S)
        t, s = scores.shape[-2], scores.shape[-1]
        causal = torch.tril(torch.ones(s, s, dtype=torch.bool))[s - t:s, :s]  # queries are the last t positions
        scores = torch.where(causal, scores, torch.tensor(torch.finfo(scores.dtype).min, dtype=scores.dtype))
        if additive_mask is not None:
            scores = scores + additive_mask
        weights = self.attn_dropout(torch.softmax(scores, dim=-1))
        batch, heads, time, head_dim = (weights @ value).shape
        context = (weights @ value).permute(0, 2, 1, 3).reshape(batch, time, heads * head_dim)
        return self.resid_dropout(self.c_proj(context)), weights, present


class GPT2MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        inner = c['n_inner'] if c.get('n_inner') is not None else 4 * c['n_embd']
        self.c_fc = Conv1D(inner, c['n_embd'])
        self.c_proj = Conv1D(c['n_embd'], inner)
        self.act = ACTIVATIONS[c['activation_function']]
        self.dropout = nn.Dropout(c['resid_pdrop'])

    def forward(self, x):
        return self.dropout(self.c_proj(self.act(self.c_fc(x))))


class GPT2Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c['n_embd'], eps=c['layer_norm_epsilon'])
        self.attn = GPT2Attention(c)
        self.ln_2 = nn.LayerNorm(c['n_embd'], eps=c['layer_norm_epsilon'])
        self.mlp = GPT2MLP(c)

    def forward(self, x, additive_mask, past=None):
        attended, weights, present = self.attn(self.ln_1(x), additive_mask, past)
        x = x + attended
        return x + self.mlp(self.ln_2(x)), weights, present


class GPT2Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c['vocab_size'], c['n_embd'])
        self.wpe = nn.Embedding(c['n_positions'], c['n_embd'])
        self.drop = nn.Dropout(c['embd_pdrop'])
        self.h = nn.ModuleList([GPT2Block(c) for _ in range(c['n_layer'])])
        self.ln_f = nn.LayerNorm(c['n_embd'], eps=c['layer_norm_epsilon'])

    def forward(self, input_ids, attention_mask=None, position_ids=None, past_key_values=None):
        past_length = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        if position_ids is None:
            position_ids = torch.arange(past_length, past_length + input_ids.shape[1])[None, :]
        additive = None
        if attention_mask is not None:  # (batch, past + T): 1 = token
            additive = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        x = self.drop(self.wte(input_ids) + self.wpe(position_ids))
        hidden_states, attentions, presents = [], [], []
        for i, block in enumerate(self.h):
            hidden_states.append(x)
            x, weights, present = block(x, additive, None if past_key_values is None else past_key_values[i])
            attentions.append(weights)
            presents.append(present)
        x = self.ln_f(x)
        hidden_states.append(x)  # as transformers: the last entry is after ln_f
        return {'last_hidden_state': x, 'hidden_states': hidden_states, 'attentions': attentions, 'past_key_values': presents}


def causal_lm_loss(logits, labels):
    shifted = logits[:, :-1, :].reshape(-1, logits.shape[-1])
    return F.cross_entropy(shifted, labels[:, 1:].reshape(-1), ignore_index=-100)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transformer = GPT2Model(c)

    def forward(self, input_ids, attention_mask=None, position_ids=None, past_key_values=None, labels=None):
        out = self.transformer(input_ids, attention_mask, position_ids, past_key_values)
        logits = out['last_hidden_state'] @ self.transformer.wte.weight.T  # lm_head tied to wte
        out = {**out, 'logits': logits}
        if labels is not None:
            out['loss'] = causal_lm_loss(logits, labels)
        return out


def greedy_with_cache(model, prompt, steps):
    """Greedy continuation of one unpadded prompt with past_key_values; also the logits of every step."""
    ids = list(prompt)
    past, step_logits = None, []
    with torch.no_grad():
        new = torch.tensor([ids])
        for _ in range(steps):
            out = model(new, past_key_values=past)
            past = out['past_key_values']
            logits = out['logits'][0, -1]
            step_logits.append(logits)
            token = int(torch.argmax(logits))
            ids.append(token)
            new = torch.tensor([[token]])
    return ids, step_logits
