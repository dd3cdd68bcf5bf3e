import uPlot from 'uplot';
import { seriesColor, type CurveStyle } from './training-curves';
import { TrainingHistory, type TrainingCurvesData } from './training-history';

/** Options of {@link createTrainingCurvesChart}. */
export interface TrainingCurvesChartOptions {
  /** Default 480 × 260 CSS pixels. */
  width?: number;
  height?: number;
  /** Axis titles (defaults: `step`, `loss`, none). */
  xLabel?: string;
  leftLabel?: string;
  rightLabel?: string;
  /** Series to show from the start, with their style; others appear when first pushed. */
  series?: ReadonlyArray<{ name: string } & CurveStyle>;
  /** Logarithmic left axis (default false). */
  logScale?: boolean;
  /** Chart title shown above the plot. */
  title?: string;
}

/** A live training chart. */
export interface TrainingCurvesChart {
  /** Records metrics at x = `step` and redraws (at most once per animation frame). */
  push(step: number, metrics: Readonly<Record<string, number>>): void;
  /** Replaces all data (e.g. after loading a saved run). */
  setData(data: TrainingCurvesData): void;
  /** Everything pushed so far. */
  readonly history: TrainingHistory;
  /** The underlying uPlot instance. */
  readonly plot: uPlot;
  resize(width: number, height: number): void;
  destroy(): void;
}

/**
 * Creates a live-updating training chart in `container` with uPlot (browser only: needs a DOM).
 * For uPlot's legend and cursor styling, import the stylesheet `@heed/viz/uplot.css` once.
 *
 * @example
 * ```ts
 * import '@heed/viz/uplot.css';
 * const chart = createTrainingCurvesChart(document.querySelector('#curves')!, {
 *   series: [{ name: 'loss' }, { name: 'accuracy', axis: 'right' }],
 *   rightLabel: 'accuracy',
 * });
 * model.fit(x, y, { callbacks: { onBatchEnd: (batch, logs) => chart.push(step++, { loss: logs!.loss as number }) } });
 * ```
 */
export function createTrainingCurvesChart(container: HTMLElement, options: TrainingCurvesChartOptions = {}): TrainingCurvesChart {
  const styles = new Map<string, CurveStyle>((options.series ?? []).map(({ name, ...style }) => [name, style]));
  const history = new TrainingHistory();
  const declared = (options.series ?? []).map((series) => series.name);
  const hasRight = options.rightLabel !== undefined || (options.series ?? []).some((series) => series.axis === 'right');
  const shown: string[] = [];
  const seriesOptions = (name: string, index: number): uPlot.Series => {
    const style = styles.get(name) ?? {};
    return {
      label: name,
      stroke: style.color ?? seriesColor(index),
      width: 1.75,
      scale: style.axis === 'right' && hasRight ? 'y2' : 'y',
      spanGaps: true,
      points: { show: false },
      ...(style.dashed ? { dash: [5, 3] } : {}),
    };
  };
  const axes: uPlot.Axis[] = [
    { label: options.xLabel ?? 'step' },
    { label: options.leftLabel ?? 'loss', scale: 'y' },
  ];
  if (hasRight) axes.push({ label: options.rightLabel ?? '', scale: 'y2', side: 1, grid: { show: false } });
  const plot = new uPlot(
    {
      title: options.title ?? '',
      width: options.width ?? 480,
      height: options.height ?? 260,
      scales: { x: { time: false }, y: options.logScale ? { distr: 3 } : {}, ...(hasRight ? { y2: {} } : {}) },
      axes,
      series: [{ label: options.xLabel ?? 'step' }],
    },
    [[]],
    container,
  );
  const columns = (): uPlot.AlignedData => [history.steps, ...shown.map((name) => history.values(name) ?? [])] as uPlot.AlignedData;
  const ensureSeries = () => {
    for (const name of [...declared, ...history.names]) {
      if (!shown.includes(name)) {
        shown.push(name);
        plot.addSeries(seriesOptions(name, shown.length - 1), shown.length);
      }
    }
  };
  ensureSeries();
  let pending = false;
  const redraw = () => {
    pending = false;
    ensureSeries();
    plot.setData(columns());
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(redraw);
    else redraw();
  };
  return {
    history,
    plot,
    push(step, metrics) {
      history.push(step, metrics);
      schedule();
    },
    setData(data) {
      history.clear();
      const { steps } = data;
      for (let index = 0; index < steps.length; index++) {
        const metrics: Record<string, number> = {};
        for (const series of data.series) {
          // Gaps as NaN: the history stores them as null but still creates the series.
          metrics[series.name] = series.values[index] ?? Number.NaN;
        }
        history.push(steps[index]!, metrics);
      }
      redraw();
    },
    resize(width, height) {
      plot.setSize({ width, height });
    },
    destroy() {
      plot.destroy();
    },
  };
}
