import { describe, expect, it } from 'vitest';
import { placeOf, routeByRegion } from './regions.ts';

const row = (name: string, city: string, address = '') => ({ id: name, name, city, address });

describe('where a customer is', () => {
  it('reads city, district and street from a Chinese address', () => {
    expect(placeOf(row('a', '', '上海市浦东新区张江路88号'))).toEqual({ region: '上海市', district: '浦东新区', street: '张江路88号' });
    expect(placeOf(row('b', '', '中国江苏省南京市玄武区中山路18号'))).toEqual({ region: '南京市', district: '玄武区', street: '中山路18号' });
    expect(placeOf(row('c', '', '浙江省义乌市稠城街道工人北路1号'))).toMatchObject({ region: '义乌市', street: '稠城街道工人北路1号' });
    expect(placeOf(row('d', '', '广东省 深圳市 南山区 科技园路 5 号'))).toMatchObject({ region: '深圳市', district: '南山区' });
  });

  it('takes the card’s own city first, and keeps other addresses whole', () => {
    expect(placeOf(row('e', '苏州', '江苏省南京市玄武区中山路18号'))).toMatchObject({ region: '苏州', district: '玄武区' });
    expect(placeOf(row('f', 'Berlin', 'Friedrichstraße 12, 10117 Berlin'))).toEqual({ region: 'Berlin', district: '', street: 'Friedrichstraße 12, 10117 Berlin' });
    expect(placeOf(row('g', '', 'Friedrichstraße 12'))).toEqual({ region: '', district: '', street: 'Friedrichstraße 12' });
    expect(placeOf({ city: '', address: undefined })).toEqual({ region: '', district: '', street: '' });
  });
});

describe('a route by region', () => {
  it('groups by region (with or without 市), the largest first, customers without one last', () => {
    const groups = routeByRegion([
      row('Nowhere', ''),
      row('B1', 'Berlin', 'Alexanderplatz 1'),
      row('S1', '上海', '上海市徐汇区漕溪北路8号'),
      row('S2', '', '上海市浦东新区张江路88号'),
      row('S3', '上海市', '上海市浦东新区张江路6号'),
    ]);
    expect(groups.map((g) => [g.region, g.stops.length])).toEqual([['上海', 3], ['Berlin', 1], ['', 1]]);
  });

  it('orders the stops of a region by district, then along the street with house numbers in order', () => {
    const [shanghai] = routeByRegion([
      row('Xuhui', '上海', '上海市徐汇区漕溪北路8号'),
      row('Zhangjiang 88', '上海', '上海市浦东新区张江路88号'),
      row('Zhangjiang 6', '上海', '上海市浦东新区张江路6号'),
      row('Century', '上海', '上海市浦东新区世纪大道100号'),
    ]);
    expect(shanghai!.stops.map((s) => s.row.name)).toEqual(['Century', 'Zhangjiang 6', 'Zhangjiang 88', 'Xuhui']);
    const [berlin] = routeByRegion([row('B20', 'Berlin', 'Torstraße 20'), row('B3', 'Berlin', 'Torstraße 3'), row('A', 'Berlin', 'Alexanderplatz 1')]);
    expect(berlin!.stops.map((s) => s.row.name)).toEqual(['A', 'B3', 'B20']);
  });
});
