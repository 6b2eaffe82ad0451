// A d3-contour MultiPolygon traced onto a canvas context or a d3-path (for an SVG `d`), through a
// plain point map from grid space to pixels. d3-contour's output is GeoJSON, which d3-geo's geoPath
// can draw; for a planar grid that is exactly moveTo / lineTo / closePath per ring, so this does it
// directly and the first screen need not load d3-geo (~2.5 kB gzipped).
//
// poly.coordinates: polygons -> rings -> [x, y] points in grid units (x right, y up the rows).
import type { ContourMultiPolygon } from 'd3';

type PathSink = { moveTo(x: number, y: number): void; lineTo(x: number, y: number): void; closePath(): void };

export function traceContour(
  sink: PathSink,
  poly: ContourMultiPolygon,
  map: (x: number, y: number) => [number, number],
) {
  for (const polygon of poly.coordinates)
    for (const ring of polygon) {
      // GeoJSON rings repeat their first point at the end; closePath draws that edge
      for (let i = 0; i < ring.length - 1; i++) {
        const [px, py] = map(ring[i][0], ring[i][1]);
        if (i === 0) sink.moveTo(px, py);
        else sink.lineTo(px, py);
      }
      sink.closePath();
    }
}
