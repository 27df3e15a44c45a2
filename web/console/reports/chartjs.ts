// Chart.js, registered with only the parts the reports draw (bars, lines, two
// linear axes, a category axis, tooltips, the legend). This module is imported
// dynamically by the reports overview alone, so esbuild puts it (and Chart.js)
// in a chunk of its own: the console's main bundle does not carry it.
import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export type { ChartConfiguration };

export function makeChart(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  return new Chart(canvas, config);
}
