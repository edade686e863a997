export {
  techdocsModuleCopyingPreparer,
  searchModuleTechdocsPrebuild,
} from './module';
