"""PyTorch peer of `heed train g2p` (the RNN variants): the same model, data, batches and recipe,
trained on the same machine, to tell how much of the gap to the issue's goal is heed's speed and how
much is the recipe.

Model (as heed's RnnNetwork): a bidirectional LSTM encoder (units per direction), a learned bridge
from the final states to the decoder's initial state (h0 = tanh(W [h_f; h_b] + b), c0 = W' [c_f; c_b] + b'),
an LSTM decoder without input feeding, Luong general attention (score = h·W·m) queried by the decoder
states, h~ = tanh(W_c [c; h]) and the output softmax. Dropout on both embeddings and on h~.
Recipe: Adam, linear warmup then cosine to 1% of the peak at the time budget (or the epoch limit),
label smoothing 0.1 (PyTorch's definition, the same as heed's), length-bucketed shuffled batches
(chunks of 50 batches sorted by source length), the best epoch on the validation words by greedy
WER, then the test split with beam search (score / length).

Data: `tsx scripts/seq2seq/export-g2p-data.ts OUT.json` (from packages/models) writes heed's ids
(the same tokenizers, the same FNV-1a split) so both train on identical pairs.

Run: /usr/bin/python3 torch_g2p.py --data OUT.json --minutes 85 --threads 2 [--units 128 --decoder 256]
"""

import argparse
import json
import math
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 2, 3


class G2P(nn.Module):
    def __init__(self, source_vocab, target_vocab, emb, units, decoder_units, dropout, layers=1):
        super().__init__()
        self.source_embedding = nn.Embedding(source_vocab, emb)
        self.target_embedding = nn.Embedding(target_vocab, emb)
        self.encoder = nn.LSTM(emb, units, num_layers=layers, batch_first=True, bidirectional=True, dropout=dropout if layers > 1 else 0)
        self.bridge_h = nn.Linear(2 * units, decoder_units)
        self.bridge_c = nn.Linear(2 * units, decoder_units)
        self.decoder = nn.LSTM(emb, decoder_units, batch_first=True)
        self.score = nn.Linear(2 * units, decoder_units, bias=False)  # general: h · (W m)
        self.combine = nn.Linear(2 * units + decoder_units, decoder_units, bias=False)
        self.output = nn.Linear(decoder_units, target_vocab)
        self.dropout = nn.Dropout(dropout)
        for name, p in self.named_parameters():
            if 'embedding' in name:
                nn.init.uniform_(p, -0.05, 0.05)
            elif p.dim() == 2:
                nn.init.xavier_uniform_(p)
            else:
                nn.init.zeros_(p)
        for lstm in (self.encoder, self.decoder):
            for name, p in lstm.named_parameters():
                if name.startswith('bias_ih'):  # gates i f g o: forget bias 1 (bias_hh stays 0)
                    n = p.shape[0] // 4
                    p.data[n:2 * n] = 1.0

    def encode(self, source, lengths):
        x = self.dropout(self.source_embedding(source))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, (h, c) = self.encoder(packed)
        memory, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=source.shape[1])
        h = torch.cat([h[-2], h[-1]], 1)
        c = torch.cat([c[-2], c[-1]], 1)
        h0 = torch.tanh(self.bridge_h(h)).unsqueeze(0)
        c0 = self.bridge_c(c).unsqueeze(0)
        mask = source != PAD
        return memory, mask, (h0.contiguous(), c0.contiguous())

    def attend(self, memory, mask, keys, h):
        scores = torch.bmm(h, keys.transpose(1, 2))  # (B, T, S)
        scores = scores.masked_fill(~mask.unsqueeze(1), -1e9)
        weights = torch.softmax(scores, -1)
        context = torch.bmm(weights, memory)
        combined = self.dropout(torch.tanh(self.combine(torch.cat([context, h], 2))))
        return self.output(combined)

    def forward(self, source, lengths, decoder_input):
        memory, mask, state = self.encode(source, lengths)
        y = self.dropout(self.target_embedding(decoder_input))
        h, _ = self.decoder(y, state)
        return self.attend(memory, mask, self.score(memory), h)


def step_log_probs(models, states, tokens):
    """Advance each model one step on `tokens` and average their log-probabilities (an ensemble of one
    is the model itself). `states` holds each model's (memory, mask, keys, (h, c))."""
    total, new_states = None, []
    for model, (memory, mask, keys, state) in zip(models, states):
        h, state = model.decoder(model.target_embedding(tokens), state)
        logp = torch.log_softmax(model.attend(memory, mask, keys, h)[:, 0], -1)
        total = logp if total is None else total + logp
        new_states.append((memory, mask, keys, state))
    return total / len(models), new_states


def start_states(models, source, lengths, rows=None):
    """Each model's (memory, mask, keys, (h, c)) for `source`, its rows picked by `rows` (beam search
    repeats each k times) when given."""
    states = []
    for model in models:
        memory, mask, (h, c) = model.encode(source, lengths)
        if rows is not None:
            memory, mask, h, c = memory[rows], mask[rows], h[:, rows].contiguous(), c[:, rows].contiguous()
        states.append((memory, mask, model.score(memory), (h, c)))
    return states


@torch.no_grad()
def greedy(models, source, lengths, max_length=40):
    states = start_states(models, source, lengths)
    tokens = torch.full((source.shape[0], 1), BOS, dtype=torch.long)
    out = []
    done = torch.zeros(source.shape[0], dtype=torch.bool)
    for _ in range(max_length):
        logp, states = step_log_probs(models, states, tokens)
        nxt = logp.argmax(-1)
        out.append(nxt)
        done |= nxt == EOS
        tokens = nxt.unsqueeze(1)
        if bool(done.all()):
            break
    return torch.stack(out, 1).tolist()


@torch.no_grad()
def beam(models, source, lengths, k, max_length=40):
    b = source.shape[0]
    states = start_states(models, source, lengths, torch.arange(b).repeat_interleave(k))
    scores = torch.full((b, k), -1e9)
    scores[:, 0] = 0
    seqs = [[[] for _ in range(k)] for _ in range(b)]
    finished = [[] for _ in range(b)]
    tokens = torch.full((b * k, 1), BOS, dtype=torch.long)
    for t in range(max_length):
        logp, states = step_log_probs(models, states, tokens)  # (bk, V)
        v = logp.shape[1]
        cand = (scores.view(-1, 1) + logp).view(b, k * v)
        top_s, top_i = cand.topk(2 * k, 1)
        new_scores = torch.full((b, k), -1e9)
        new_rows = torch.zeros(b, k, dtype=torch.long)
        new_tok = torch.full((b, k), PAD, dtype=torch.long)
        new_seqs = [[[] for _ in range(k)] for _ in range(b)]
        top_s, top_i = top_s.tolist(), top_i.tolist()
        for i in range(b):
            if len(finished[i]) >= k:
                continue
            n = 0
            for s, idx in zip(top_s[i], top_i[i]):
                if s < -1e8:
                    break
                beam_i, tok = divmod(idx, v)
                seq = seqs[i][beam_i] + [tok]
                if tok == EOS:
                    finished[i].append((s / len(seq), seq))
                else:
                    new_scores[i, n] = s
                    new_rows[i, n] = i * k + beam_i
                    new_tok[i, n] = tok
                    new_seqs[i][n] = seq
                    n += 1
                if n == k:
                    break
        if all(len(f) >= k for f in finished):
            break
        rows = new_rows.view(-1)
        states = [(m, mk, ks, (st[0][:, rows].contiguous(), st[1][:, rows].contiguous())) for m, mk, ks, st in states]
        scores, seqs, tokens = new_scores, new_seqs, new_tok.view(-1, 1)
    results = []
    for i in range(b):
        pool = finished[i] or [(scores[i, 0].item() / max(len(seqs[i][0]), 1), seqs[i][0])]
        results.append(max(pool, key=lambda p: p[0])[1])
    return results


def pad(rows):
    width = max(len(r) for r in rows)
    return torch.tensor([r + [PAD] * (width - len(r)) for r in rows], dtype=torch.long)


def length_batches(pairs, batch_size, rng):
    order = list(range(len(pairs)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start:start + chunk], key=lambda i: (len(pairs[i]['source']), len(pairs[i]['target'])))
        for b in range(0, len(part), batch_size):
            batches.append([pairs[i] for i in part[b:b + batch_size]])
    rng.shuffle(batches)
    return batches


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
        prev = cur
    return prev[-1]


def score(models, examples, tokens, beam_size=1, batch_size=250):
    """Word and phoneme error rates of a model (or the ensemble of a list of models)."""
    models = models if isinstance(models, list) else [models]
    for model in models:
        model.eval()
    order = sorted(range(len(examples)), key=lambda i: len(examples[i]['source']))
    errors, edits, length = 0, 0, 0
    for start in range(0, len(order), batch_size):
        chunk = [examples[i] for i in order[start:start + batch_size]]
        source = pad([e['source'] for e in chunk])
        lengths = torch.tensor([len(e['source']) for e in chunk])
        outs = greedy(models, source, lengths) if beam_size == 1 else beam(models, source, lengths, beam_size)
        for e, out in zip(chunk, outs):
            if EOS in out:
                out = out[:out.index(EOS)]
            pred = [tokens[t] for t in out]
            refs = [r.split(' ') for r in e['refs']]
            best = min(refs, key=lambda r: edit_distance(pred, r) / len(r))
            d = edit_distance(pred, best)
            errors += all(pred != r for r in refs)
            edits += d
            length += len(best)
    for model in models:
        model.train()
    return errors / len(examples), edits / length


def build(data, args):
    return G2P(data['sourceVocab'], len(data['targetTokens']), args.emb, args.units, args.decoder, args.dropout, args.layers)


def ensemble(args, data):
    """Score the ensemble of saved models (--ensemble A.pt B.pt ...): their log-probabilities averaged
    at every decoding step, greedy on the validation words and beam search on the test split."""
    models = []
    for path in args.ensemble:
        saved = torch.load(path)
        model = build(data, argparse.Namespace(**saved['args']))
        model.load_state_dict(saved['state'])
        models.append(model)
    tokens = data['targetTokens']
    vwer, vper = score(models, data['validation'], tokens)
    wer, per = score(models, data['test'], tokens, beam_size=args.beam)
    result = {'wer': wer, 'per': per, 'words': len(data['test']), 'beam': args.beam, 'validationWer': vwer,
              'validationPer': vper, 'models': args.ensemble, 'params': sum(p.numel() for m in models for p in m.parameters())}
    print(json.dumps(result), flush=True)
    if args.out:
        json.dump(result, open(args.out, 'w'), indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--minutes', type=float, default=85)
    ap.add_argument('--epochs', type=int, default=100)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--units', type=int, default=128)
    ap.add_argument('--decoder', type=int, default=256)
    ap.add_argument('--layers', type=int, default=1)
    ap.add_argument('--emb', type=int, default=64)
    ap.add_argument('--dropout', type=float, default=0.2)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--warmup', type=int, default=300)
    ap.add_argument('--beam', type=int, default=5)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--average', type=int, default=0, help='also try the mean of the last N epochs\' weights')
    ap.add_argument('--out', default=None, help='results JSON')
    ap.add_argument('--save', default=None, help='write the chosen weights (and these arguments) here')
    ap.add_argument('--ensemble', nargs='+', default=None, help='score the ensemble of these saved models instead of training')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data = json.load(open(args.data))
    if args.ensemble:
        return ensemble(args, data)
    tokens = data['targetTokens']
    model = build(data, args)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, eps=1e-7)
    budget = args.minutes * 60
    rng = random.Random(args.seed)
    batches_per_epoch = math.ceil(len(data['train']) / args.batch)
    started = time.time()
    steps, curve, best, recent = 0, [], (2.0, None), []
    print(f'params {params}, {len(data["train"])} pairs, {batches_per_epoch} batches/epoch', flush=True)
    for epoch in range(args.epochs):
        total, count, out_of_time = 0.0, 0, False
        for batch in length_batches(data['train'], args.batch, rng):
            progress = max((time.time() - started) / budget, steps / (args.epochs * batches_per_epoch))
            if progress >= 1:
                out_of_time = True
                break
            floor = args.lr / 100
            lr = floor + (args.lr - floor) * 0.5 * (1 + math.cos(math.pi * min(progress, 1)))
            if steps < args.warmup:
                lr = min(lr, args.lr * (steps + 1) / args.warmup)
            for g in opt.param_groups:
                g['lr'] = lr
            source = pad([p['source'] for p in batch])
            lengths = torch.tensor([len(p['source']) for p in batch])
            target = pad([p['target'] for p in batch])
            logits = model(source, lengths, target[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target[:, 1:].reshape(-1), ignore_index=PAD, label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            count += 1
            steps += 1
        wer, per = score(model, data['validation'], tokens)
        minutes = (time.time() - started) / 60
        curve.append({'epoch': epoch + 1, 'steps': steps, 'minutes': minutes, 'loss': total / max(count, 1), 'validationWer': wer, 'validationPer': per})
        print(json.dumps(curve[-1]), flush=True)
        state = {k: v.clone() for k, v in model.state_dict().items()}
        if wer < best[0]:
            best = (wer, state)
        recent = (recent + [state])[-args.average:] if args.average else []
        if out_of_time:
            break
    train_minutes = (time.time() - started) / 60
    chosen = 'best epoch'
    if len(recent) > 1:
        model.load_state_dict({k: sum(s[k] for s in recent) / len(recent) for k in recent[0]})
        wer, _ = score(model, data['validation'], tokens)
        print(json.dumps({'averageOf': len(recent), 'validationWer': wer}), flush=True)
        if wer < best[0]:
            best, chosen = (wer, model.state_dict()), f'mean of the last {len(recent)} epochs'
    model.load_state_dict(best[1])
    if args.save:
        torch.save({'args': vars(args), 'state': model.state_dict()}, args.save)
    t0 = time.time()
    wer, per = score(model, data['test'], tokens, beam_size=args.beam)
    result = {'wer': wer, 'per': per, 'words': len(data['test']), 'beam': args.beam, 'params': params, 'steps': steps,
              'weights': chosen, 'trainMinutes': train_minutes, 'evalMinutes': (time.time() - t0) / 60, 'args': vars(args), 'curve': curve}
    print(json.dumps({k: v for k, v in result.items() if k != 'curve'}), flush=True)
    if args.out:
        json.dump(result, open(args.out, 'w'), indent=1)


if __name__ == '__main__':
    main()
