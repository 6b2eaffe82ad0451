// Data of the engine: the Dataset type and makeDataset, the 2D generators, the digits loader
// and the 2D test functions of the optimizer arenas.
export * from './dataset';
export * from './digits';
export * from './generators2d';
export * from './testFunctions';
export * from './types';
