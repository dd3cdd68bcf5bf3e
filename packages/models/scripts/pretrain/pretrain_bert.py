"""Masked-language-model pretraining of a small BERT (Debian's PyTorch 1.13), data-parallel.

Runs alone or under torchrun with DistributedDataParallel unchanged:
    /usr/bin/python3 pretrain_bert.py --data DATA --out OUT
    torchrun --nproc_per_node=2 pretrain_bert.py --data DATA --out OUT          # gloo on CPU
    torchrun --nproc_per_node=8 pretrain_bert.py --data DATA --out OUT          # nccl on 8 GPUs
DATA is the folder written by train_tokenizer.mjs (tokenizer.json, tokenizer_config.json, vocab.txt,
corpus.jsonl: one sentence's token ids per line). OUT receives the Hugging Face layout: config.json
(architectures: BertForMaskedLM), model.safetensors, the tokenizer files, and pretrain_log.json
(loss per step, tokens seen, seconds).

Length of the run: --steps, or a wall-clock budget with --time-budget SECONDS (the run stops when
either is reached; the warm-up/decay schedule then follows the larger of step/steps and
elapsed/budget, as decided by rank 0 and broadcast so every rank stops at the same step).

Masking as in BERT: 15% of the non-special tokens are chosen; of those 80% become [MASK], 10% a
random token, 10% stay; the loss is cross-entropy on the chosen positions only. Each rank reads
its own shard of the corpus (line i goes to rank i % world_size) and its own random batches.
"""

import argparse
import json
import math
import os
import shutil
import sys
import time

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'hf'))
import hf_reference as ref  # noqa: E402
from safetensors_io import save_file  # noqa: E402

TOKENIZER_FILES = ('tokenizer.json', 'tokenizer_config.json', 'vocab.txt')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', required=True, help='folder written by train_tokenizer.mjs')
    p.add_argument('--out', required=True, help='output folder (Hugging Face layout)')
    p.add_argument('--hidden-size', type=int, default=128)
    p.add_argument('--num-hidden-layers', type=int, default=2)
    p.add_argument('--num-attention-heads', type=int, default=2)
    p.add_argument('--intermediate-size', type=int, default=512)
    p.add_argument('--max-length', type=int, default=64, help='sentences are cut to this many tokens')
    p.add_argument('--batch-size', type=int, default=32, help='per process')
    p.add_argument('--steps', type=int, default=1000, help='at most this many steps')
    p.add_argument('--time-budget', type=float, default=None, help='stop after this many seconds of training (the schedule follows time)')
    p.add_argument('--lr', type=float, default=5e-4)
    p.add_argument('--warmup-steps', type=int, default=None, help='default: 6%% of --steps (with --time-budget: --warmup-ratio of the budget)')
    p.add_argument('--warmup-ratio', type=float, default=0.06, help='warm-up share of the run')
    p.add_argument('--weight-decay', type=float, default=0.01)
    p.add_argument('--mlm-probability', type=float, default=0.15)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--log-every', type=int, default=50)
    p.add_argument('--save-replicas', action='store_true', help='every rank also writes replica-<rank>.safetensors (tests)')
    p.add_argument('--pack', action='store_true',
                   help='pack consecutive sentences into rows of --max-length tokens ([CLS] a [SEP] b [SEP] ...) instead of one padded sentence a row')
    p.add_argument('--snapshot-every', type=float, default=None,
                   help='every this many seconds rank 0 also writes the folder as OUT/snapshot-<step> (fine-tune early snapshots while it runs)')
    args = p.parse_args(argv)
    for name in ('hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_length', 'batch_size', 'steps'):
        if getattr(args, name) <= 0:
            p.error(f'--{name.replace("_", "-")} must be positive, got {getattr(args, name)}')
    if args.snapshot_every is not None and args.snapshot_every <= 0:
        p.error(f'--snapshot-every must be positive, got {args.snapshot_every}')
    if args.time_budget is not None and args.time_budget <= 0:
        p.error(f'--time-budget must be positive, got {args.time_budget}')
    if not 0 <= args.warmup_ratio < 1:
        p.error(f'--warmup-ratio must be in [0, 1), got {args.warmup_ratio}')
    if args.hidden_size % args.num_attention_heads:
        p.error(f'--hidden-size ({args.hidden_size}) must be a multiple of --num-attention-heads ({args.num_attention_heads})')
    return args


def bert_config(args, vocab_size, special):
    return {
        'architectures': ['BertForMaskedLM'], 'model_type': 'bert', 'vocab_size': vocab_size,
        'hidden_size': args.hidden_size, 'num_hidden_layers': args.num_hidden_layers,
        'num_attention_heads': args.num_attention_heads, 'intermediate_size': args.intermediate_size,
        'hidden_act': 'gelu', 'hidden_dropout_prob': 0.1, 'attention_probs_dropout_prob': 0.1,
        'max_position_embeddings': max(args.max_length, 128), 'type_vocab_size': 2, 'initializer_range': 0.02,
        'layer_norm_eps': 1e-12, 'pad_token_id': special['[PAD]'], 'position_embedding_type': 'absolute',
        'torch_dtype': 'float32',
    }


def init_weights(model, std):
    """Hugging Face BERT's _init_weights: normal(0, 0.02) for Linear and Embedding, LayerNorm 1/0."""
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            module.weight.data.normal_(0.0, std)
            if module.bias is not None:
                module.bias.data.zero_()
        elif isinstance(module, torch.nn.Embedding):
            module.weight.data.normal_(0.0, std)
            if module.padding_idx is not None:
                module.weight.data[module.padding_idx].zero_()
        elif isinstance(module, torch.nn.LayerNorm):
            module.weight.data.fill_(1.0)
            module.bias.data.zero_()


def mask_tokens(input_ids, special_mask, vocab_size, mask_id, probability, generator):
    """BERT's 80/10/10 masking. Returns (inputs, labels) with labels -100 where no loss is taken."""
    labels = input_ids.clone()
    chosen = (torch.rand(input_ids.shape, generator=generator) < probability) & ~special_mask
    labels[~chosen] = -100
    inputs = input_ids.clone()
    to_mask = chosen & (torch.rand(input_ids.shape, generator=generator) < 0.8)
    inputs[to_mask] = mask_id
    if not chosen.any():  # keep the loss defined: take the first non-special token
        first = (~special_mask).nonzero()[0]
        chosen[first[0], first[1]] = True
        labels[first[0], first[1]] = input_ids[first[0], first[1]]
    to_random = chosen & ~to_mask & (torch.rand(input_ids.shape, generator=generator) < 0.5)
    inputs[to_random] = torch.randint(vocab_size, input_ids.shape, generator=generator)[to_random]
    return inputs, labels


class MaskedPositionsMLM(torch.nn.Module):
    """BertForMaskedLM's loss, with the vocabulary head applied to the chosen positions only.

    The same value as ``BertForMaskedLM(...)['loss']`` (cross-entropy averaged over the positions whose
    label is not -100) without the (batch x seq x vocab) logits of the positions that take no loss.
    """

    def __init__(self, mlm):
        super().__init__()
        self.mlm = mlm

    def forward(self, input_ids, attention_mask, labels):
        hidden = self.mlm.bert(input_ids, attention_mask, None)['last_hidden_state']
        chosen = labels != -100
        logits = self.mlm.cls(hidden[chosen])
        return torch.nn.functional.cross_entropy(logits, labels[chosen])


def batch_of(rows, pad_id, special_ids):
    length = max(len(r) for r in rows)
    ids = torch.full((len(rows), length), pad_id, dtype=torch.long)
    attention = torch.zeros((len(rows), length), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, :len(row)] = torch.tensor(row)
        attention[i, :len(row)] = 1
    special = torch.zeros_like(ids, dtype=torch.bool)
    for sid in special_ids:
        special |= ids == sid
    return ids, attention, special


def pack_rows(rows, max_length, cls_id, sep_id):
    """Concatenates consecutive sentences ([CLS] a [SEP] each) into rows of at most max_length tokens:
    [CLS] a [SEP] b [SEP] ... (RoBERTa's FULL-SENTENCES packing, no padding wasted on short sentences)."""
    packed, current = [], [cls_id]
    for ids in rows:
        body = [t for t in ids if t != cls_id]  # a [SEP]
        if len(current) + len(body) > max_length and len(current) > 1:
            packed.append(current)
            current = [cls_id]
        current.extend(body[:max_length - len(current)])
        if current[-1] != sep_id:
            current[-1] = sep_id
    if len(current) > 1:
        packed.append(current)
    return packed


def state_dict_for_hf(model):
    # Parameters only (no position_ids buffer); the decoder is tied to the word embeddings.
    return {name: p.detach().cpu().contiguous() for name, p in model.named_parameters()}


def write_folder(out, model, config, args, log, *, step, world, device, rows, tokens_seen, seconds):
    """Writes the Hugging Face folder (weights first to a temporary file, so a failed save keeps the old one)."""
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, 'model.safetensors.tmp')
    save_file(state_dict_for_hf(model), tmp, {'format': 'pt'})
    os.replace(tmp, os.path.join(out, 'model.safetensors'))
    with open(os.path.join(out, 'config.json'), 'w', encoding='utf8') as f:
        json.dump(config, f, indent=2)
    for name in TOKENIZER_FILES:
        shutil.copyfile(os.path.join(args.data, name), os.path.join(out, name))
    with open(os.path.join(out, 'pretrain_log.json'), 'w', encoding='utf8') as f:
        json.dump({'world_size': world, 'device': str(device), 'batch_size_per_process': args.batch_size,
                   'steps': step, 'max_steps': args.steps, 'time_budget': args.time_budget, 'lr': args.lr,
                   'max_length': args.max_length, 'packed': args.pack, 'rows_rank0': rows, 'tokens_seen': tokens_seen,
                   'seconds': round(seconds, 2), 'threads': torch.get_num_threads(), 'curve': log}, f, indent=2)


def main(argv=None):
    args = parse_args(argv)
    distributed = 'WORLD_SIZE' in os.environ
    use_cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group('nccl' if use_cuda else 'gloo')
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    local_rank = int(os.environ.get('LOCAL_RANK', 0))
    device = torch.device(f'cuda:{local_rank}' if use_cuda else 'cpu')
    if use_cuda:
        torch.cuda.set_device(device)

    with open(os.path.join(args.data, 'tokenizer.json'), encoding='utf8') as f:
        vocab = json.load(f)['model']['vocab']
    special = {name: vocab[name] for name in ('[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]')}
    rows = []
    with open(os.path.join(args.data, 'corpus.jsonl'), encoding='utf8') as f:
        for i, line in enumerate(f):
            if i % world == rank and line.strip():
                ids = json.loads(line)
                if len(ids) > args.max_length:
                    ids = ids[:args.max_length - 1] + [special['[SEP]']]
                rows.append(ids)
    if args.pack:
        rows = pack_rows(rows, args.max_length, special['[CLS]'], special['[SEP]'])
    if not rows:
        raise SystemExit(f'pretrain_bert.py: rank {rank} got no sentences from {args.data}/corpus.jsonl')

    config = bert_config(args, len(vocab), special)
    torch.manual_seed(args.seed)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    model = ref.BertForMaskedLM(config)
    init_weights(model, config['initializer_range'])
    model.to(device)
    train_model = MaskedPositionsMLM(model)
    ddp = DistributedDataParallel(train_model, device_ids=[local_rank] if use_cuda else None) if distributed else train_model

    decay = [p for n, p in model.named_parameters() if not (n.endswith('bias') or 'LayerNorm' in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith('bias') or 'LayerNorm' in n]
    optimizer = torch.optim.AdamW([{'params': decay, 'weight_decay': args.weight_decay},
                                   {'params': no_decay, 'weight_decay': 0.0}], lr=args.lr)
    warmup = args.warmup_steps if args.warmup_steps is not None else max(1, int(args.warmup_ratio * args.steps))

    def lr_factor(step, elapsed):
        if args.time_budget is None:
            return (step + 1) / warmup if step < warmup else max(0.0, (args.steps - step) / max(1, args.steps - warmup))
        progress = max(step / args.steps, elapsed / args.time_budget)
        if progress < args.warmup_ratio:
            return max(progress / args.warmup_ratio, 1.0 / args.steps)
        return max(0.0, (1.0 - progress) / (1.0 - args.warmup_ratio))

    generator = torch.Generator().manual_seed(args.seed * 1000 + rank + 1)
    log, tokens_seen, started = [], 0, time.time()
    last_snapshot = started
    ddp.train()
    step = 0
    while step < args.steps:
        elapsed = torch.tensor([time.time() - started], dtype=torch.float64, device=device)
        if distributed:
            dist.broadcast(elapsed, 0)  # rank 0's clock decides, so every rank takes the same steps
        if args.time_budget is not None and float(elapsed) >= args.time_budget:
            break
        for group in optimizer.param_groups:
            group['lr'] = args.lr * lr_factor(step, float(elapsed))
        picks = torch.randint(len(rows), (args.batch_size,), generator=generator).tolist()
        ids, attention, special_mask = batch_of([rows[i] for i in picks], special['[PAD]'], special.values())
        inputs, labels = mask_tokens(ids, special_mask, len(vocab), special['[MASK]'], args.mlm_probability, generator)
        loss = ddp(inputs.to(device), attention.to(device), labels.to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        loss = loss.detach()
        tokens = torch.tensor([int(attention.sum())], device=device)
        if distributed:
            dist.all_reduce(loss)
            loss /= world
            dist.all_reduce(tokens)
        tokens_seen += int(tokens)
        step += 1
        if rank == 0 and ((step - 1) % args.log_every == 0 or step == args.steps):
            entry = {'step': step, 'loss': float(loss), 'lr': optimizer.param_groups[0]['lr'], 'tokens_seen': tokens_seen,
                     'seconds': round(time.time() - started, 2)}
            log.append(entry)
            print(json.dumps(entry), flush=True)
        if rank == 0 and args.snapshot_every is not None and time.time() - last_snapshot >= args.snapshot_every:
            ddp.eval()
            write_folder(os.path.join(args.out, f'snapshot-{step}'), model, config, args, log, step=step, world=world, device=device,
                         rows=len(rows), tokens_seen=tokens_seen, seconds=time.time() - started)
            ddp.train()
            last_snapshot = time.time()
    if rank == 0 and (not log or log[-1]['step'] != step):
        log.append({'step': step, 'loss': float(loss), 'lr': optimizer.param_groups[0]['lr'], 'tokens_seen': tokens_seen,
                    'seconds': round(time.time() - started, 2)})

    if args.save_replicas:
        os.makedirs(args.out, exist_ok=True)
        save_file(state_dict_for_hf(model), os.path.join(args.out, f'replica-{rank}.safetensors'))
    if rank == 0:
        write_folder(args.out, model, config, args, log, step=step, world=world, device=device, rows=len(rows),
                     tokens_seen=tokens_seen, seconds=time.time() - started)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
