// Lesson demos ask a question before they run (predict, then run: src/components/predict/). Specs
// that are about something else answer it with this helper (choice `n`, default the first) and go on.
import { expect, type Page } from '@playwright/test';

export async function answerLessonQuestion(page: Page, n = 0): Promise<void> {
  const card = page.getByTestId('predict-card');
  await card.getByRole('radio').nth(n).check();
  await card.getByTestId('predict-commit').click();
  await expect(page.getByTestId('run-demo')).toBeEnabled({ timeout: 60_000 });
}
