// Data section: dataset tiles, generator settings, split, preprocessing, shuffling, augmentation.

import { REGRESSION_DATASETS } from '../../config/fields';
import { DATASET_LABELS } from '../../config/labels';
import { useStore } from '../../state/store';
import { pct } from '../format';
import { lazyNamed, OnDemand } from '../Lazy';
import { DatasetPicker } from './DatasetPicker';
import { NumberSlider, Section, Select, Toggle } from './Fields';

// The CSV import and its reader load when the data section first shows (first screen budget).
const CsvImport = lazyNamed(() => import('./CsvImport'), 'CsvImport');

const PREPROCESS_NAMES = { none: 'None', standardize: 'Standardize', whiten: 'Whiten (PCA)' };
const ORDER_NAMES = { random: 'Random', byClass: 'Sorted by class' };

export function DataPanel() {
  const name = useStore((s) => s.config.data.name);
  const isDigits = name === 'digits';
  return (
    <Section title="Data" summary={DATASET_LABELS[name]} open>
      <DatasetPicker />
      <OnDemand what="the CSV import">
        <CsvImport />
      </OnDemand>
      {!isDigits && <NumberSlider path="data.noise" step={0.05} />}
      {name === 'blobs' && <NumberSlider path="data.classes" />}
      <NumberSlider path="data.samples" step={isDigits ? 100 : 20} />
      <NumberSlider path="data.valFraction" step={0.05} format={pct} />
      <Select path="data.preprocess" names={PREPROCESS_NAMES} />
      <Toggle path="data.shuffle" />
      {!REGRESSION_DATASETS.includes(name) && <Select path="data.order" names={ORDER_NAMES} />}
      <NumberSlider path="data.augmentNoise" step={0.02} />
      {isDigits && <Toggle path="data.augmentAffine" />}
    </Section>
  );
}
