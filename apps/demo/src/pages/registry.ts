import { generatePage } from '../generate/generate-page';
import type { Page } from '../shell/page';
import { digitsPage } from './digits';
import { datesPage } from './dates';
import { hfPage } from './hf';
import { homePage } from './home';
import { playgroundPage } from './playground';
import { pronouncePage } from './pronounce';
import { textPage } from './text';

/** Every page, in navigation order; the first is shown for an unknown or empty hash. */
export const PAGES: readonly Page[] = [homePage, pronouncePage, datesPage, textPage, digitsPage, playgroundPage, hfPage, generatePage];
