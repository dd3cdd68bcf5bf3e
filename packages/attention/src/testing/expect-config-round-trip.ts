import * as tf from '@tensorflow/tfjs';

/** The shared layer-config round-trip check, now in @heed/backends/testing (kept here for this package's tests). */
export { expectConfigRoundTrip } from '@heed/backends/testing';

/**
 * Saves `model` through `tf.io` (memory handler: topology JSON + weights) and loads it back.
 */
export async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = JSON.parse(JSON.stringify({ ...saved, weightData: undefined })) as tf.io.ModelArtifacts;
      artifacts.weightData = saved.weightData;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}
