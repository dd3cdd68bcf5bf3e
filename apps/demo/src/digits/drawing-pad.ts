import { h } from '../shell/dom';

/** Canvas side in pixels (10 per MNIST pixel). */
export const PAD_SIZE = 280;
/** Pen width in canvas pixels: about two MNIST pixels once the digit is scaled into its 20×20 box. */
export const PEN_WIDTH = 22;

/** A drawing canvas for mouse, touch and pen (pointer events), black ink on white. */
export interface DrawingPad {
  canvas: HTMLCanvasElement;
  /** Clears to white paper. */
  clear(): void;
  /** The canvas' RGBA pixels. */
  pixels(): Uint8ClampedArray;
}

/**
 * Creates the pad; `onStroke` runs when a stroke ends (pointer up or cancel). Pointer events cover
 * mouse, touch and pen; `touch-action: none` keeps a finger from scrolling the page instead.
 */
export function drawingPad(onStroke: () => void): DrawingPad {
  const canvas = h('canvas', { id: 'digits-canvas', width: PAD_SIZE, height: PAD_SIZE, class: 'drawing-pad', 'aria-label': 'Drawing area: draw one digit with the mouse, a finger or a pen' });
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser cannot draw on a canvas (no 2D context), so the Digits page cannot read drawings.');
  const clear = () => {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
  };
  clear();
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.lineWidth = PEN_WIDTH;
  context.strokeStyle = '#000';
  /** Pointer position in canvas pixels (the canvas may be shown smaller or larger than PAD_SIZE). */
  const at = (event: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) * PAD_SIZE) / rect.width, ((event.clientY - rect.top) * PAD_SIZE) / rect.height];
  };
  let drawing: number | undefined;
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    event.preventDefault();
    drawing = event.pointerId;
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = at(event);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x + 0.01, y); // a tap leaves a dot
    context.stroke();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (event.pointerId !== drawing) return;
    const [x, y] = at(event);
    context.lineTo(x, y);
    context.stroke();
  });
  const end = (event: PointerEvent) => {
    if (event.pointerId !== drawing) return;
    drawing = undefined;
    onStroke();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return { canvas, clear, pixels: () => context.getImageData(0, 0, PAD_SIZE, PAD_SIZE).data };
}
