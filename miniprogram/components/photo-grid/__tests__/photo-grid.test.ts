// @vitest-environment jsdom
/// <reference types="node" />
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MINIPROGRAM_ROOT, settle, simulate, type RenderedPage } from '../../../test/setup';

type Grid = RenderedPage & { addEventListener(name: string, handler: (e: { detail: unknown }) => void): void };

const open: Grid[] = [];
afterEach(() => open.splice(0).forEach((g) => g.detach()));

function grid(properties: Record<string, unknown>): Grid {
  const id = simulate.load(path.join(MINIPROGRAM_ROOT, 'components/photo-grid/index'), { rootPath: MINIPROGRAM_ROOT });
  const g = simulate.render(id, properties) as Grid;
  g.attach(
    (globalThis as unknown as { document: { createElement(tag: string): unknown } }).document.createElement('parent-wrapper'),
  );
  open.push(g);
  return g;
}

describe('photo grid', () => {
  it('when editing, then each photo has a remove target that emits its index, an add tile while under max, and a tap previews them all', async () => {
    const g = grid({
      photos: [
        { id: 7, url: 'https://cdn.test/a.jpg' },
        { id: 9, url: 'https://cdn.test/b.jpg' },
      ],
      max: 3,
    });
    expect(g.querySelectorAll('.photo-grid__img')).toHaveLength(2);
    expect(g.querySelectorAll('.add-photo')).toHaveLength(1);

    const removed = vi.fn();
    const added = vi.fn();
    g.addEventListener('remove', (e) => removed(e.detail));
    g.addEventListener('add', () => added());
    g.querySelectorAll('.remove-photo')[1].dispatchEvent('tap');
    await settle(1); // the component's events reach the page on the next tick
    expect(removed).toHaveBeenCalledWith({ index: 1 });
    g.querySelector('.add-photo')!.dispatchEvent('tap');
    await settle(1);
    expect(added).toHaveBeenCalledTimes(1);

    const preview = vi.spyOn(wx, 'previewImage').mockImplementation((() => undefined) as never);
    g.querySelectorAll('.photo-grid__img')[1].dispatchEvent('tap');
    await settle(1);
    expect(preview).toHaveBeenCalledWith({
      urls: ['https://cdn.test/a.jpg', 'https://cdn.test/b.jpg'],
      current: 'https://cdn.test/b.jpg',
    });
    preview.mockRestore();
  });

  it('when the grid is full, then there is no add tile; while uploading, the add tile says 上传中… and emits nothing', async () => {
    const full = grid({ photos: [{ id: 1, url: 'https://cdn.test/a.jpg' }], max: 1 });
    expect(full.querySelector('.add-photo')).toBeFalsy();

    const busy = grid({ photos: [], max: 3, uploading: true });
    const added = vi.fn();
    busy.addEventListener('add', () => added());
    expect(busy.querySelector('.add-photo')!.dom.textContent).toContain('上传中…');
    busy.querySelector('.add-photo')!.dispatchEvent('tap');
    await settle(1);
    expect(added).not.toHaveBeenCalled();
  });

  it('when given URLs only (view), then photos preview but cannot be removed or added', () => {
    const g = grid({ photos: ['https://cdn.test/a.jpg', 'https://cdn.test/b.jpg'] });
    expect(g.querySelectorAll('.photo-grid__img')).toHaveLength(2);
    expect(g.querySelector('.remove-photo')).toBeFalsy();
    expect(g.querySelector('.add-photo')).toBeFalsy();
  });
});
