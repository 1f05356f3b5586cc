// The demo data set's door: what other rooms of the core may import from electron/core/demo.
export { seedGuishanDemo } from './guishan';
