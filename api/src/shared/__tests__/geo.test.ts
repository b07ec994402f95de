import { describe, expect, it } from 'vitest';
import { boundingBox, distanceKm, roundKm, type Box, type Point } from '../geo';

const EARTH_RADIUS_KM = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** The point `km` away from `from` on the initial bearing `bearingDeg` (great circle), longitude in [-180, 180). */
function destination(from: Point, km: number, bearingDeg: number): Point {
  const d = km / EARTH_RADIUS_KM;
  const t = rad(bearingDeg);
  const p1 = rad(from.latitude);
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
  const l2 =
    rad(from.longitude) + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { latitude: deg(p2), longitude: ((((deg(l2) + 180) % 360) + 360) % 360) - 180 };
}

const inside = (b: Box, p: Point) =>
  p.latitude >= b.minLat && p.latitude <= b.maxLat && p.longitude >= b.minLng && p.longitude <= b.maxLng;

const BEIJING = { latitude: 39.9042, longitude: 116.4074 };
const SHANGHAI = { latitude: 31.2304, longitude: 121.4737 };

describe('distanceKm', () => {
  it('when measuring Beijing to Shanghai, then it is about 1067 km both ways', () => {
    expect(Math.abs(distanceKm(BEIJING, SHANGHAI) - 1067)).toBeLessThan(1);
    expect(distanceKm(SHANGHAI, BEIJING)).toBe(distanceKm(BEIJING, SHANGHAI));
  });

  it('when both points are the same, then the distance is zero', () => {
    expect(distanceKm(BEIJING, BEIJING)).toBe(0);
    expect(distanceKm({ latitude: 90, longitude: 10 }, { latitude: 90, longitude: -170 })).toBeCloseTo(0, 9);
  });

  it('when the points are antipodal, then the distance is half the circumference (about 20015 km)', () => {
    const half = Math.PI * EARTH_RADIUS_KM;
    expect(half).toBeCloseTo(20015.1, 1);
    expect(distanceKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(half, 6);
    expect(distanceKm({ latitude: 30.259, longitude: 120.13 }, { latitude: -30.259, longitude: -59.87 })).toBeCloseTo(half, 6);
    expect(distanceKm({ latitude: 90, longitude: 0 }, { latitude: -90, longitude: 0 })).toBeCloseTo(half, 6);
  });

  it('when moving one degree along a meridian, then the distance is R·π/180 (about 111.195 km)', () => {
    expect(distanceKm({ latitude: 30, longitude: 120 }, { latitude: 31, longitude: 120 })).toBeCloseTo(
      rad(1) * EARTH_RADIUS_KM,
      9,
    );
  });

  it('when the points straddle the antimeridian, then the short way round is measured', () => {
    const km = distanceKm({ latitude: 0, longitude: 179.95 }, { latitude: 0, longitude: -179.97 });
    expect(km).toBeCloseTo(rad(0.08) * EARTH_RADIUS_KM, 6);
  });

  it('when a point is placed by the destination formula, then distanceKm measures the same distance', () => {
    for (const km of [0.001, 1, 10, 50, 500, 5000]) {
      for (const bearing of [0, 45, 90, 135, 180, 225, 270, 315]) {
        expect(distanceKm(BEIJING, destination(BEIJING, km, bearing))).toBeCloseTo(km, 6);
      }
    }
  });

  it('when rounding for display, then metres are kept', () => {
    expect(roundKm(1.23456)).toBe(1.235);
    expect(roundKm(0.0004)).toBe(0);
  });
});

describe('boundingBox', () => {
  const bearings = [...Array.from({ length: 720 }, (_, i) => i / 2), 89.999, 90.001, 269.999, 270.001];

  for (const latitude of [0, 30, 60, 85, -60, -85]) {
    it(`when the centre is at latitude ${latitude}, then every point exactly at the radius, in every direction, is inside the box`, () => {
      // Far from the antimeridian, so that clamping (tested below) plays no part.
      const center = { latitude, longitude: 10.5 };
      for (const km of [0.01, 1, 10, 50, 100, 500]) {
        const box = boundingBox(center, km);
        for (const bearing of bearings) {
          const p = destination(center, km, bearing);
          expect(
            inside(box, p),
            `lat ${latitude}, ${km} km, bearing ${bearing}: ${JSON.stringify(p)} ∉ ${JSON.stringify(box)}`,
          ).toBe(true);
        }
        // The points of widest longitude lie poleward of the centre's parallel: include them exactly.
        const a = km / EARTH_RADIUS_KM;
        const tangentLat = deg(Math.asin(Math.sin(rad(latitude)) / Math.cos(a)));
        const tangentDLng = deg(Math.asin(Math.sin(a) / Math.cos(rad(latitude))));
        for (const sign of [1, -1]) {
          const p = { latitude: tangentLat, longitude: center.longitude + sign * tangentDLng };
          expect(distanceKm(center, p)).toBeCloseTo(km, 6);
          expect(inside(box, p), `tangent point ${JSON.stringify(p)} ∉ ${JSON.stringify(box)}`).toBe(true);
        }
      }
    });
  }

  it('when the radius is small, then the box is tight: no wider than the circle plus a hair', () => {
    for (const latitude of [0, 30, 60, 85]) {
      const center = { latitude, longitude: 120.13 };
      for (const km of [1, 10, 50]) {
        const box = boundingBox(center, km);
        const a = km / EARTH_RADIUS_KM;
        const dLat = deg(a);
        const dLng = deg(Math.asin(Math.sin(a) / Math.cos(rad(latitude))));
        expect(box.maxLat - latitude).toBeGreaterThanOrEqual(dLat);
        expect(box.maxLat - latitude).toBeLessThan(dLat * 1.00001 + 1e-6);
        expect(latitude - box.minLat).toBeLessThan(dLat * 1.00001 + 1e-6);
        expect(box.maxLng - center.longitude).toBeGreaterThanOrEqual(dLng);
        expect(box.maxLng - center.longitude).toBeLessThan(dLng * 1.00001 + 1e-6);
        expect(center.longitude - box.minLng).toBeLessThan(dLng * 1.00001 + 1e-6);
      }
    }
  });

  it('when the circle contains a pole, then the box spans every longitude and reaches the pole', () => {
    for (const [latitude, km] of [
      [85, 600],
      [89.9, 50],
      [-88, 300],
    ] as const) {
      const center = { latitude, longitude: 120.13 };
      const box = boundingBox(center, km);
      expect(box).toMatchObject({ minLng: -180, maxLng: 180 });
      expect(latitude > 0 ? box.maxLat : box.minLat).toBe(latitude > 0 ? 90 : -90);
      for (let bearing = 0; bearing < 360; bearing += 0.5) {
        const p = destination(center, km, bearing);
        expect(inside(box, p), `lat ${latitude}, ${km} km, bearing ${bearing}: ${JSON.stringify(p)}`).toBe(true);
      }
    }
  });

  it('when the centre is on a pole, then the box is the polar cap over all longitudes', () => {
    const box = boundingBox({ latitude: 90, longitude: 120.13 }, 10);
    expect(box).toMatchObject({ maxLat: 90, minLng: -180, maxLng: 180 });
    expect(box.minLat).toBeCloseTo(90 - deg(10 / EARTH_RADIUS_KM), 5);
    const nearPole = { latitude: 90 - deg(5 / EARTH_RADIUS_KM), longitude: -100 };
    expect(distanceKm({ latitude: 90, longitude: 120.13 }, nearPole)).toBeCloseTo(5, 6);
    expect(inside(box, nearPole)).toBe(true);
  });

  it('when the radius is a quarter of the circumference or more, then the box spans every longitude', () => {
    expect(boundingBox({ latitude: 0, longitude: 0 }, 10_008)).toMatchObject({ minLng: -180, maxLng: 180 });
  });

  it('when the circle crosses the antimeridian, then the box is clamped at ±180 and does not wrap: the far side is outside it', () => {
    // Documented limitation: the box is a single longitude interval clamped to [-180, 180]. The
    // service area (mainland China, 73°E–135°E) never comes near the antimeridian, so the hall and
    // dispatch never meet this case; a world-wide deployment would need a two-interval box.
    const center = { latitude: 0, longitude: 179.95 };
    const box = boundingBox(center, 10);
    expect(box.maxLng).toBe(180);
    expect(box.minLng).toBeCloseTo(179.95 - deg(10 / EARTH_RADIUS_KM), 5);
    const nearSide = destination(center, 10, 270);
    const farSide = destination(center, 10, 90);
    expect(farSide.longitude).toBeLessThan(-179.9);
    expect(distanceKm(center, farSide)).toBeCloseTo(10, 6);
    expect(inside(box, nearSide)).toBe(true);
    expect(inside(box, farSide)).toBe(false);
    // The points up to the antimeridian itself are still covered.
    expect(inside(box, { latitude: 0, longitude: 180 })).toBe(true);
    expect(boundingBox({ latitude: 0, longitude: -179.95 }, 10).minLng).toBe(-180);
  });
});
