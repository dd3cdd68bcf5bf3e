/**
 * Entry of a data-parallel replica of `heed train g2p --workers N` (forked through
 * @heed/training's DataParallelReplicas; not a command to run by hand): builds the Seq2Seq of
 * replica 0's config and answers its steps with gradients.
 */
import './enable-relaxed-simd'; // first: before any module compiles WebAssembly
import { Seq2Seq } from '@heed/models';
import { runReplica } from '@heed/training';
import { seq2seqLoss, seq2seqTrainable, type G2PReplicaOptions } from './commands/g2p-trainer';

await runReplica(({ config, labelSmoothing }: G2PReplicaOptions) => {
  const model = new Seq2Seq(config);
  return { model: seq2seqTrainable(model), loss: seq2seqLoss(model, labelSmoothing), dispose: () => model.dispose() };
});
