import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chooseAnalysisPlacement, isAnalysisRequest, parseRemembered } from './analysis-window';

const primary = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const second = { id: 2, workArea: { x: 1920, y: 0, width: 3840, height: 2120 } };

describe('where the analysis window opens', () => {
  it('goes to the second monitor, maximised, when there is one', () => {
    expect(chooseAnalysisPlacement([primary, second], 1, null)).toEqual({ displayId: 2, bounds: second.workArea, maximize: true });
    // Whichever display the operator is on, the other one.
    expect(chooseAnalysisPlacement([primary, second], 2, null).displayId).toBe(1);
  });

  it('stays beside the operator on a single monitor', () => {
    const p = chooseAnalysisPlacement([primary], 1, null);
    expect(p.displayId).toBe(1);
    expect(p.maximize).toBe(false);
    expect(p.bounds.width).toBe(1600);
  });

  it('returns where it was last time while that display and those bounds still exist', () => {
    const remembered = { displayId: 2, bounds: { x: 2000, y: 100, width: 1800, height: 1000 } };
    expect(chooseAnalysisPlacement([primary, second], 1, remembered)).toEqual({ ...remembered, maximize: false });
    // Remembered on the primary (the analyst chose it): honoured too.
    const onPrimary = { displayId: 1, bounds: { x: 10, y: 10, width: 1200, height: 800 } };
    expect(chooseAnalysisPlacement([primary, second], 1, onPrimary)).toEqual({ ...onPrimary, maximize: false });
  });

  it('forgets a display that was unplugged, and bounds that no longer fit', () => {
    const gone = { displayId: 3, bounds: { x: 5760, y: 0, width: 1000, height: 800 } };
    expect(chooseAnalysisPlacement([primary, second], 1, gone).displayId).toBe(2);
    expect(chooseAnalysisPlacement([primary], 1, gone).displayId).toBe(1);
    const offScreen = { displayId: 2, bounds: { x: 5000, y: 0, width: 1800, height: 1000 } };
    expect(chooseAnalysisPlacement([primary, second], 1, offScreen)).toEqual({ displayId: 2, bounds: second.workArea, maximize: true });
  });

  it('never trusts a malformed remembered file', () => {
    expect(parseRemembered(null)).toBeNull();
    expect(parseRemembered('{')).toBeNull();
    expect(parseRemembered('{"displayId":"2","bounds":{"x":0,"y":0,"width":1,"height":1}}')).toBeNull();
    expect(parseRemembered('{"displayId":2,"bounds":{"x":0,"y":0,"width":1}}')).toBeNull();
    expect(parseRemembered('{"displayId":2,"bounds":{"x":0,"y":0,"width":1,"height":1}}')).toEqual({ displayId: 2, bounds: { x: 0, y: 0, width: 1, height: 1 } });
  });

  it('recognises only the app\'s own page with view=analysis as the workspace', () => {
    const rendererDir = path.resolve('/opt/console/out/renderer');
    const origin = { rendererDir, devServerUrl: undefined };
    const page = pathToFileURL(path.join(rendererDir, 'index.html')).toString();
    expect(isAnalysisRequest(`${page}?view=analysis`, origin)).toBe(true);
    expect(isAnalysisRequest(page, origin)).toBe(false);
    expect(isAnalysisRequest('https://example.com/?view=analysis', origin)).toBe(false);
    expect(isAnalysisRequest('http://localhost:5173/?view=analysis', { rendererDir, devServerUrl: 'http://localhost:5173/' })).toBe(true);
  });
});
