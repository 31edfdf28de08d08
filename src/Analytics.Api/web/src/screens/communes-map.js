// A small map of the communes over the service's own vector tiles (MapLibre, vendored: nothing from another host),
// coloured by a class per commune and outlined where asked, with the départements' outlines: the review desk's map of
// changes and the planner's map of a selection. The legend and a table beside each map carry the same facts in words.
import { getJson } from "../http.js";

/**
 * Draws the communes in <paramref name="container"/>: classes maps a commune code to a key of colours; outlined maps
 * a code to "solid" or "dashed". Resolves with the map once its first frame is drawn (data-state="ready").
 */
export async function communeMap(container, classes, colours, outlined = new Map()) {
  const [library, bounds] = await Promise.all([import("/vendor/maplibre/maplibre-gl.mjs"), getJson("/tiles/commune.json")]);
  const map = new library.Map({
    container, attributionControl: false, bounds: bounds.bounds, fitBoundsOptions: { padding: 10 },
    canvasContextAttributes: { preserveDrawingBuffer: true },   // printing reads the canvas
    style: {
      version: 8,
      sources: {
        communes: { type: "vector", tiles: [`${location.origin}/tiles/commune/{z}/{x}/{y}.mvt?properties=state`], minzoom: 0, maxzoom: 14, promoteId: "code" },
        departements: { type: "vector", tiles: [`${location.origin}/tiles/departement/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 14 },
      },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#f6f6f6" } },
        { id: "class", type: "fill", source: "communes", "source-layer": "territories",
          paint: { "fill-color": ["match", ["coalesce", ["feature-state", "class"], ""], ...Object.entries(colours).flat(), "rgba(0, 0, 0, 0)"] } },
        { id: "solid", type: "line", source: "communes", "source-layer": "territories",
          paint: { "line-color": "#1b1b1b", "line-width": ["case", ["==", ["feature-state", "outline"], "solid"], 2.5, 0] } },
        { id: "dashed", type: "line", source: "communes", "source-layer": "territories",
          paint: { "line-color": "#1b1b1b", "line-dasharray": [2, 1], "line-width": ["case", ["==", ["feature-state", "outline"], "dashed"], 2.5, 0] } },
        { id: "departements", type: "line", source: "departements", "source-layer": "territories", paint: { "line-color": "#1b1b1b", "line-width": 1 } },
      ],
    },
  });
  container.dataset.state = "loading";
  await new Promise(resolve => map.once("style.load", resolve));
  for (const [code, key] of classes) map.setFeatureState({ source: "communes", sourceLayer: "territories", id: code }, { class: key });
  for (const [code, kind] of outlined) map.setFeatureState({ source: "communes", sourceLayer: "territories", id: code }, { outline: kind });
  map.once("idle", () => { container.dataset.state = "ready"; });
  return map;
}
