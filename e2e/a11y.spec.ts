// Accessibility with axe-core (@axe-core/playwright, all rules): no serious or critical violation
// on the main screen, compare mode, the sweep, an arena and a lesson, in the light and the dark theme, each
// checked after it has been used for a moment (charts drawn, a run or race going).
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { recordFigures } from '../test-support/figures';

const SCREENS = [
  { name: 'main screen', hash: '#data=xor&v=1', play: true },
  { name: 'compare mode', hash: '#data=xor&view=compare&v=1', play: true },
  { name: 'sweep', hash: '#data=xor&view=sweep&v=1', play: true },
  { name: 'arena', hash: '#view=arena&v=1', play: false },
  { name: 'lesson', hash: '#lesson=momentum&v=1', play: false },
] as const;
const THEMES = ['light', 'dark'] as const;

async function show(page: Page, hash: string, theme: string, play: boolean): Promise<void> {
  // The theme preference as the app stores it, set before the app reads it.
  await page.addInitScript((t) => localStorage.setItem('descent.ui', JSON.stringify({ theme: t })), theme);
  await page.goto(`./${hash}`);
  await expect(page.getByRole('heading', { name: 'Descent', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  if (play) {
    await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
    await page.getByTestId('play').click();
    await page.waitForTimeout(1500);
    await page.getByTestId('play').click();
  } else {
    await page.waitForTimeout(1500);
  }
}

for (const screen of SCREENS)
  for (const theme of THEMES)
    test(`${screen.name}, ${theme} theme: no serious or critical axe violations`, async ({ page }) => {
      await show(page, screen.hash, theme, screen.play);
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      recordFigures(`a11y-${screen.name.replace(/\s+/g, '-')}-${theme}`, {
        serious: bad.filter((v) => v.impact === 'serious').length,
        critical: bad.filter((v) => v.impact === 'critical').length,
        moderateOrMinor: result.violations.length - bad.length,
        rulesPassed: result.passes.length,
      });
      const detail = bad.flatMap((v) =>
        v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')} — ${n.any[0]?.message ?? n.failureSummary}`),
      );
      expect(detail, detail.join('\n')).toEqual([]);
    });
