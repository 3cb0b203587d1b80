import { useEffect, useRef, useState } from 'react';

/** Where the reader's pointer is over the chart, and whether a tooltip is pinned (clicked). */
interface PointerState {
  inside: boolean;
  /** The last pointer position, relative to the chart's top left corner. */
  x: number;
  y: number;
  /** Whether the chart's tooltip points at something now (Plot's `value`). */
  pointing: boolean;
  /** Plot pins a tooltip on click and unpins it on the next click outside it. */
  sticky: boolean;
}

const svgOf = (chart: Element): SVGSVGElement | null => (chart instanceof SVGSVGElement ? chart : chart.querySelector('svg'));

/**
 * Renders an Observable Plot chart (SVG) into a div, at the width the page gives it. Plot puts
 * its default styles in an inline <style> element, which the app's CSP (style-src 'self')
 * refuses: the element is removed before the chart joins the page, and the same rules ship in
 * app.css under the fixed class name `cf-plot`.
 *
 * A redraw (live data, a resize) replaces the SVG, which would close the reader's tooltip: the
 * pointer's place and Plot's pinned state are kept here, and replayed on the new chart.
 */
export function PlotFigure({ render, label }: { render: (width: number) => SVGSVGElement | HTMLElement; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const pointer = useRef<PointerState>({ inside: false, x: 0, y: 0, pointing: false, sticky: false });
  const replaying = useRef(false);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    // Capture: Plot's own pointerdown stops the event at the SVG.
    const at = (event: PointerEvent) => {
      const svg = svgOf(element);
      if (!svg) return;
      const box = svg.getBoundingClientRect();
      pointer.current.x = event.clientX - box.left;
      pointer.current.y = event.clientY - box.top;
    };
    const move = (event: PointerEvent) => {
      if (replaying.current || event.pointerType !== 'mouse') return;
      pointer.current.inside = true;
      if (!pointer.current.sticky) at(event);
    };
    const down = (event: PointerEvent) => {
      if (replaying.current || event.pointerType !== 'mouse' || !pointer.current.pointing) return;
      // As Plot decides (interactions/pointer.js): a click in a pinned tooltip keeps it, any other click toggles.
      if (pointer.current.sticky && event.target instanceof Element && event.target.closest('g[aria-label="tip"]')) return;
      pointer.current.sticky = !pointer.current.sticky;
      if (pointer.current.sticky) at(event);
    };
    const leave = (event: PointerEvent) => {
      if (event.pointerType === 'mouse') pointer.current.inside = false;
    };
    element.addEventListener('pointermove', move, true);
    element.addEventListener('pointerdown', down, true);
    element.addEventListener('pointerleave', leave);
    return () => {
      observer.disconnect();
      element.removeEventListener('pointermove', move, true);
      element.removeEventListener('pointerdown', down, true);
      element.removeEventListener('pointerleave', leave);
    };
  }, []);
  useEffect(() => {
    const element = host.current;
    if (!element || width === 0) return;
    const chart = render(width);
    for (const style of chart.querySelectorAll('style')) style.remove();
    // Plot names each mark's group ("rect", "rule"): noise for screen readers, and aria-label
    // is not allowed on a <g> without a role. The figure's label and the links' labels stay.
    for (const group of chart.querySelectorAll('g[aria-label]')) group.removeAttribute('aria-label');
    // Plot says what its tooltip points at with an input event and the chart's `value`.
    const onInput = () => {
      pointer.current.pointing = (chart as { value?: unknown }).value != null;
      if (!pointer.current.pointing) pointer.current.sticky = false;
    };
    chart.addEventListener('input', onInput);
    const open = pointer.current.sticky || (pointer.current.inside && pointer.current.pointing);
    element.replaceChildren(chart);
    const svg = svgOf(chart);
    if (open && svg) {
      const box = svg.getBoundingClientRect();
      const init: PointerEventInit = { clientX: box.left + pointer.current.x, clientY: box.top + pointer.current.y, pointerType: 'mouse', bubbles: true };
      const sticky = pointer.current.sticky;
      replaying.current = true;
      try {
        pointer.current.sticky = false;
        svg.dispatchEvent(new PointerEvent('pointermove', init));
        if (sticky) svg.dispatchEvent(new PointerEvent('pointerdown', init));
        pointer.current.sticky = sticky && pointer.current.pointing;
      } finally {
        replaying.current = false;
      }
    }
    return () => {
      chart.removeEventListener('input', onInput);
      element.replaceChildren();
    };
  }, [render, width]);
  return <div className="plot-host" ref={host} role="figure" aria-label={label} />;
}
