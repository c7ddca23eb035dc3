/** One ECharts chart in a box, resized with it and disposed with the component. */
import { useEffect, useRef } from 'react';
import { CHART_FONT, echarts, type EChartsCoreOption } from './echarts-setup.ts';

export function Chart({ option, height = 280, testId }: { option: EChartsCoreOption; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init>>(undefined);
  useEffect(() => {
    if (!box.current) return;
    const instance = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option }, true);
  }, [option]);
  return <div ref={box} className="desk-chart" style={{ height }} data-testid={testId} />;
}
