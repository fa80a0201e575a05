// Printing: Plotly draws a chart at the width it has on screen, so on a sheet narrower than the
// screen the chart's right part was cut off (the targets' labels past 100 %). Before printing,
// a chart wider than a sheet's text (17 cm: A4 or Letter, less the print margins and the 1 cm
// padding of the print rules) is scaled down to it; after printing, back to its screen size.
if (!window.maillonPrintFit) {
  window.maillonPrintFit = true;
  const SHEET_PX = 640;
  // The chart's whole element is scaled (Streamlit sets the height of the box around the
  // drawing); the drawing's own width is the one it has on screen.
  const charts = () => [...document.querySelectorAll('.js-plotly-plot')].map((plot) => ({
    box: plot.closest('[data-testid="stElementContainer"]'),
    width: plot.querySelector('.main-svg').width.baseVal.value,
  }));
  window.addEventListener('beforeprint', () => {
    for (const { box, width } of charts()) {
      box.style.zoom = width > SHEET_PX ? String(SHEET_PX / width) : '';
    }
  });
  window.addEventListener('afterprint', () => {
    for (const { box } of charts()) box.style.zoom = '';
  });
}
