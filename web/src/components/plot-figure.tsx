import { useEffect, useRef, useState } from 'react';

/**
 * Renders an Observable Plot chart (SVG) into a div, at the width the page gives it. Plot puts
 * its default styles in an inline <style> element, which the app's CSP (style-src 'self')
 * refuses: the element is removed before the chart joins the page, and the same rules ship in
 * app.css under the fixed class name `cf-plot`.
 */
export function PlotFigure({ render, label }: { render: (width: number) => SVGSVGElement | HTMLElement; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const element = host.current;
    if (!element || width === 0) return;
    const chart = render(width);
    for (const style of chart.querySelectorAll('style')) style.remove();
    // Plot names each mark's group ("rect", "rule"): noise for screen readers, and aria-label
    // is not allowed on a <g> without a role. The figure's label and the links' labels stay.
    for (const group of chart.querySelectorAll('g[aria-label]')) group.removeAttribute('aria-label');
    element.replaceChildren(chart);
    return () => element.replaceChildren();
  }, [render, width]);
  return <div className="plot-host" ref={host} role="figure" aria-label={label} />;
}
