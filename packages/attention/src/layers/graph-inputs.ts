import * as tf from '@tensorflow/tfjs';
import type { Kwargs } from './layer-utils';

/**
 * Which call slots each input of a graph node fills, in input order, e.g.
 * `[['query', 'value', 'key'], ['attentionMask']]` for self-attention with a mask given as
 * `apply([x, x, x, mask])`. Saved with the model (the node's call arguments, key `graphInputs`).
 */
export type GraphInputLayout = string[][];

/** A call's inputs and options after {@link GraphInputs.prepare}, ready for `Layer.apply`. */
export interface PreparedGraphCall {
  inputs: tf.SymbolicTensor | tf.SymbolicTensor[];
  kwargs: Kwargs;
}

/**
 * How a heed layer with several named inputs (query/value/key/mask, or a block's sequences and
 * masks) takes them inside a `tf.model` graph, where tfjs only passes a list of tensors:
 *
 * - Inputs fill the slots in order (`[query, value, key, attentionMask]`); a mask may also be
 *   given by name as a SymbolicTensor option (`apply(x, {attentionMask: mask})`).
 * - The same SymbolicTensor given for several slots (`apply([x, x])`) becomes **one** input of
 *   the node. tfjs 4.22's layers executor (`engine/executor.ts`) counts a tensor's consumers once
 *   per consuming node but decrements the count once per *occurrence* in a node's inputs, so a
 *   repeated input is disposed while another layer (a residual connection, say) still needs it,
 *   and `model.predict` then fails with "Cannot read properties of undefined (reading 'backend')".
 *   Even `tf.layers.concatenate().apply([h, h])` fails that way; heed's layers avoid it.
 * - The layout (which slots each input fills) is remembered by the layer, like the other graph
 *   options, and saved in the node's call arguments, so a loaded model reads its inputs the same
 *   way. A call is read through it only when its inputs are as many as the node's and shaped like
 *   them (as the executor's calls are); other calls use the plain slot order.
 * - A mask that arrives as **float32** through the graph is accepted as a 0/1 keep-mask (nonzero
 *   = may attend): tfjs 4.22 stores every layer output as float32 (`guessOutputDType`), so a mask
 *   computed in the graph cannot stay bool/int32. Only masks that are float32 *as graph inputs*
 *   are read this way; an eager float mask is still refused (PyTorch float masks are additive).
 *
 * @internal
 */
export class GraphInputs {
  /** Layout of the last symbolic call, when it differs from the plain slot order. */
  layout: GraphInputLayout | undefined;
  /** Mask slots that arrive as float32 through the graph. */
  floatMasks = new Set<string>();
  /** Shapes of the merged graph inputs (null = any), to tell the executor's calls from others. */
  private layoutShapes: Array<Array<number | null>> = [];
  private prepared = false;

  constructor(
    private readonly where: () => string,
    readonly slots: readonly string[],
    readonly maskSlots: readonly string[],
  ) {}

  /**
   * For a symbolic `apply`: gathers the positional and named SymbolicTensor inputs, merges
   * repeated tensors into one input, records the layout and the float32 masks, and returns what
   * to hand to `Layer.apply` (the layout rides along in the call arguments when it is not the
   * plain slot order, so saved models keep it).
   */
  prepare(inputs: tf.SymbolicTensor | tf.SymbolicTensor[], kwargs: Kwargs): PreparedGraphCall {
    const where = this.where();
    const positional = Array.isArray(inputs) ? inputs : [inputs];
    if (positional.length > this.slots.length) {
      throw new Error(`${where}: expected at most ${this.slots.length} inputs [${this.slots.join(', ')}]; got ${positional.length}`);
    }
    let tensors: tf.SymbolicTensor[];
    let layout: GraphInputLayout;
    if (Array.isArray(kwargs.graphInputs)) {
      // A saved model: the inputs are already merged and the layout is given.
      layout = kwargs.graphInputs as GraphInputLayout;
      tensors = positional;
      const names = layout.flat();
      if (layout.length !== tensors.length || names.some((name) => !this.slots.includes(name)) || new Set(names).size !== names.length) {
        throw new Error(`${where}: graphInputs ${JSON.stringify(layout)} does not fit ${tensors.length} inputs of slots [${this.slots.join(', ')}]`);
      }
    } else {
      const given: Array<[string, tf.SymbolicTensor]> = positional.map((tensor, index) => [this.slots[index]!, tensor]);
      for (const slot of this.slots) {
        const named = kwargs[slot];
        if (!(named instanceof tf.SymbolicTensor)) continue;
        if (given.some(([taken]) => taken === slot)) throw new Error(`${where}: ${slot} is given both as an input and as an option`);
        given.push([slot, named]);
      }
      tensors = [];
      layout = [];
      for (const [slot, tensor] of given) {
        const index = tensors.indexOf(tensor);
        if (index >= 0) layout[index]!.push(slot);
        else {
          tensors.push(tensor);
          layout.push([slot]);
        }
      }
    }
    const plain = layout.every((names, index) => names.length === 1 && names[0] === this.slots[index]);
    if (this.prepared && JSON.stringify(this.layout ?? null) !== JSON.stringify(plain ? null : layout)) {
      throw new Error(`${where}: a layer applied several times in graphs must take its inputs the same way each time; got ${JSON.stringify(layout)}, before ${JSON.stringify(this.layout ?? this.slots.map((slot) => [slot]))}`);
    }
    this.prepared = true;
    this.layout = plain ? undefined : layout;
    this.layoutShapes = tensors.map((tensor) => tensor.shape);
    this.floatMasks = new Set(layout.flatMap((names, index) => (tensors[index]!.dtype === 'float32' ? names.filter((name) => this.maskSlots.includes(name)) : [])));
    const rest = Object.fromEntries(Object.entries(kwargs).filter(([name, value]) => name !== 'graphInputs' && !(value instanceof tf.SymbolicTensor)));
    return { inputs: tensors.length === 1 ? tensors[0]! : tensors, kwargs: plain ? rest : { ...rest, graphInputs: layout } };
  }

  /**
   * Names a call's inputs (tensors, or shapes in `build` / `computeOutputShape`) by slot: through
   * the recorded layout when they are as many as the graph node's inputs and shaped like them
   * (the executor's calls), otherwise in plain slot order.
   */
  assign<T extends tf.Tensor | Array<number | null>>(values: readonly T[]): Partial<Record<string, T>> {
    const named: Partial<Record<string, T>> = {};
    if (this.layout && this.fitsLayout(values.map((value) => (value instanceof tf.Tensor ? value.shape : (value as Array<number | null>))))) {
      this.layout.forEach((names, index) => names.forEach((name) => (named[name] = values[index])));
      return named;
    }
    if (values.length > this.slots.length) {
      throw new Error(`${this.where()}: expected at most ${this.slots.length} inputs [${this.slots.join(', ')}]; got ${values.length}`);
    }
    values.forEach((value, index) => (named[this.slots[index]!] = value));
    return named;
  }

  private fitsLayout(shapes: ReadonlyArray<ReadonlyArray<number | null>>): boolean {
    if (shapes.length !== this.layoutShapes.length) return false;
    return shapes.every((shape, index) => {
      const recorded = this.layoutShapes[index]!;
      return shape.length === recorded.length && shape.every((size, axis) => size === null || recorded[axis] === null || size === recorded[axis]);
    });
  }

  /**
   * A mask that reached the graph as float32 becomes bool (nonzero = may attend); anything else
   * is returned as is (and validated by the caller). The caller disposes a returned new tensor.
   */
  maskAsBool(slot: string, mask: tf.Tensor | undefined): tf.Tensor | undefined {
    if (mask === undefined || mask.dtype !== 'float32' || !this.floatMasks.has(slot)) return mask;
    return tf.notEqual(mask, 0);
  }
}

/** The input list of a call: a single tensor (or shape) becomes a one-element list. */
export function inputList<T>(inputs: T | T[]): T[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}

/** The shape list of `build` / `computeOutputShape`: a single shape becomes a one-element list. */
export function shapeList(inputShape: Array<number | null> | Array<Array<number | null>>): Array<Array<number | null>> {
  return Array.isArray(inputShape[0]) ? (inputShape as Array<Array<number | null>>) : [inputShape as Array<number | null>];
}
