/**
 * The charting library for the analysis desk: ECharts core with only the charts and components
 * the desk draws (bar, line; grid, tooltip, legend), on the canvas renderer.
 * Imported only from the desk, which the dashboard loads lazily: never in the side panel.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export { echarts };
export type { EChartsCoreOption } from 'echarts/core';

/** The page's font stack, so Chinese labels draw in a CJK font on canvas too. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif';
