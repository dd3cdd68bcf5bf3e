import type * as OrtNode from 'onnxruntime-node';
import type * as OrtWeb from 'onnxruntime-web';
import { medianTime } from './median-time';

/** An onnxruntime package (node or web) reduced to what the benchmark uses. */
type Ort = typeof OrtNode | typeof OrtWeb;

/** A loaded ONNX peer: runs one model on fixed float32 inputs. */
export interface OnnxPeer {
  name: string;
  /** Median ms of one forward pass. */
  time(model: string, feeds: Record<string, { data: Float32Array; shape: number[] }>, reps: number): Promise<number>;
  /** One forward pass's first output. */
  run(model: string, feeds: Record<string, { data: Float32Array; shape: number[] }>): Promise<Float32Array>;
}

function peer(name: string, ort: Ort, options: Record<string, unknown>): OnnxPeer {
  const sessions = new Map<string, Promise<OrtNode.InferenceSession | OrtWeb.InferenceSession>>();
  const session = (model: string) => {
    let pending = sessions.get(model);
    if (!pending) {
      pending = ort.InferenceSession.create(model, options);
      sessions.set(model, pending);
    }
    return pending;
  };
  const tensors = (feeds: Record<string, { data: Float32Array; shape: number[] }>) =>
    Object.fromEntries(Object.entries(feeds).map(([key, { data, shape }]) => [key, new ort.Tensor('float32', data, shape)]));
  return {
    name,
    async time(model, feeds, reps) {
      const loaded = await session(model);
      const inputs = tensors(feeds);
      return medianTime(() => loaded.run(inputs as never), reps);
    },
    async run(model, feeds) {
      const loaded = await session(model);
      const outputs = await loaded.run(tensors(feeds) as never);
      const first = Object.values(outputs)[0] as { data: Float32Array };
      return first.data;
    },
  };
}

/** onnxruntime-node (native, 2 intra-op threads) and onnxruntime-web (wasm SIMD, 1 thread). */
export async function loadOnnxPeers(): Promise<{ peers: OnnxPeer[]; skipped: string[] }> {
  const peers: OnnxPeer[] = [];
  const skipped: string[] = [];
  try {
    const web = (await import('onnxruntime-web')) as typeof OrtWeb;
    web.env.wasm.numThreads = 1;
    peers.push(peer('onnxruntime-web (wasm, 1 thread)', web, { executionProviders: ['wasm'] }));
  } catch (error) {
    skipped.push(`onnxruntime-web: ${(error as Error).message}`);
  }
  try {
    const node = (await import('onnxruntime-node')) as typeof OrtNode;
    peers.push(peer('onnxruntime-node (2 threads)', node, { intraOpNumThreads: 2, interOpNumThreads: 1 }));
  } catch (error) {
    skipped.push(`onnxruntime-node: ${(error as Error).message}`);
  }
  return { peers, skipped };
}
