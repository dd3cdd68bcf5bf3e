import * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from './training-optimizer';

/** @internal Zero-initialised slot variables, one per (variable, slot name), created on first use. */
export class SlotStore {
  private readonly slots = new Map<string, tf.Variable>();

  constructor(private readonly slotNames: readonly string[]) {}

  get(variable: NamedVariable, slot: string): tf.Variable {
    const key = `${variable.name}/${slot}`;
    let value = this.slots.get(key);
    if (!value) {
      const name = `slot_${key}_${Math.random().toString(36).slice(2)}`;
      value = tf.tidy(() => tf.variable(tf.zerosLike(variable.variable), false, name)); // tidy frees the zeros the variable copied
      this.slots.set(key, value);
    }
    return value;
  }

  all(): tf.NamedTensorMap {
    return Object.fromEntries(this.slots);
  }

  load(variables: readonly NamedVariable[], values: tf.NamedTensorMap): void {
    for (const variable of variables) {
      for (const slot of this.slotNames) {
        const saved = values[`${variable.name}/${slot}`];
        if (!saved) throw new Error(`optimizer state has no slot "${variable.name}/${slot}": it was saved by a different optimizer or model`);
        if (saved.shape.join() !== variable.variable.shape.join()) {
          throw new Error(`optimizer slot "${variable.name}/${slot}" has shape [${saved.shape}] but the variable has [${variable.variable.shape}]`);
        }
        this.get(variable, slot).assign(saved);
      }
    }
  }

  dispose(): void {
    for (const value of this.slots.values()) value.dispose();
    this.slots.clear();
  }
}
