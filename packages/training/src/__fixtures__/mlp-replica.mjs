// A data-parallel replica for data-parallel.test.ts: the 2 -> hidden (tanh) -> 3 MLP of
// tiny-problem.ts (its weights come from replica 0), with an optional dropout so the replicas'
// seeded masks are exercised, through the built @heed/training (tests run after `build`).
import * as tf from '@tensorflow/tfjs';
import { fromVariables, runReplica, sparseCategoricalCrossEntropy } from '../../dist/index.js';

await runReplica(({ hidden, dropout }) => {
  const variables = {
    hiddenWeight: tf.variable(tf.zeros([2, hidden])),
    hiddenBias: tf.variable(tf.zeros([hidden])),
    outputWeight: tf.variable(tf.zeros([hidden, 3])),
    outputBias: tf.variable(tf.zeros([3])),
  };
  const model = fromVariables(variables, (inputs, training) =>
    tf.tidy(() => {
      const hiddenLayer = tf.tanh(inputs.matMul(variables.hiddenWeight).add(variables.hiddenBias));
      return (training && dropout > 0 ? tf.dropout(hiddenLayer, dropout) : hiddenLayer).matMul(variables.outputWeight).add(variables.outputBias);
    }),
  );
  return { model, loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits), dispose: () => tf.dispose(Object.values(variables)) };
});
