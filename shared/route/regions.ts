/**
 * A map-free visit route (DOMAIN.md §1.6 "plan visits efficiently from the cards", §5 "adjust
 * reps' routes"): customers grouped by region — the card's county / city (县市别), else the city
 * read from its address — then by district (区 / 县 / 镇 from a Chinese address), and ordered
 * along the address within each district (the same street together, house numbers in order), so
 * a day's route is the first few of one region. Pure: index rows in, groups out.
 */
import type { CardIndexRow } from '../card-types.ts';

export interface Place {
  /** The card's city, else the city (or province) named in its address; '' when neither. */
  region: string;
  /** The district named in a Chinese address ('' otherwise). */
  district: string;
  /** The rest of the address: what orders the stops within a district. */
  street: string;
}

// 省 / 自治区 / 特别行政区, then 市 / 州 / 盟, then 区 / 县 / 旗 / 镇 / 乡, then the street.
const CHINESE_ADDRESS = /^(?<province>[\u3400-\u9fff]{2,8}?(?:省|自治区|特别行政区))?(?<city>[\u3400-\u9fff]{1,8}?(?:市|自治州|州|盟|地区))?(?<district>[\u3400-\u9fff]{1,8}?(?:区|县|旗|镇|乡))?(?<street>.*)$/u;

/** Where a customer is, from the card's city and address fields. */
export function placeOf(row: { city: string; address?: string }): Place {
  const written = (row.address ?? '').trim().replace(/\s+/g, ' ');
  // A Chinese address is read without its spaces ("广东省 深圳市 南山区 …").
  const address = /[\u3400-\u9fff]/.test(written) ? written.replace(/\s+/g, '') : written;
  const parts = CHINESE_ADDRESS.exec(address.replace(/^中国/, ''))?.groups ?? {};
  const fromAddress = parts.city || parts.province || '';
  const region = row.city.trim() || fromAddress;
  return { region, district: parts.district ?? '', street: parts.district || parts.city || parts.province ? (parts.street ?? '').trim() : address };
}

export type RouteRow = Pick<CardIndexRow, 'id' | 'name' | 'city'> & Partial<Pick<CardIndexRow, 'address'>>;

export interface RouteStop<R extends RouteRow> {
  row: R;
  place: Place;
}

export interface RegionGroup<R extends RouteRow> {
  region: string;
  stops: RouteStop<R>[];
}

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true, sensitivity: 'base' });

/**
 * Regions by how many customers they hold (most first, then by name; customers without a region
 * last), each ordered by district, then along the address, then by name.
 */
export function routeByRegion<R extends RouteRow>(rows: readonly R[]): RegionGroup<R>[] {
  const groups = new Map<string, RouteStop<R>[]>();
  for (const row of rows) {
    const place = placeOf(row);
    // Regions written with or without the 市 suffix, or in another case, are one region.
    const key = place.region.replace(/市$/, '').toLowerCase();
    const stops = groups.get(key) ?? [];
    stops.push({ row, place });
    groups.set(key, stops);
  }
  return [...groups.values()]
    .map((stops) => ({
      region: stops[0]!.place.region.replace(/市$/, ''),
      stops: stops.sort((a, b) => collator.compare(a.place.district, b.place.district) || collator.compare(a.place.street, b.place.street) || collator.compare(a.row.name, b.row.name)),
    }))
    .sort((a, b) => Number(!a.region) - Number(!b.region) || b.stops.length - a.stops.length || collator.compare(a.region, b.region));
}
