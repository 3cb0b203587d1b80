import { createContext, useContext } from 'react';

/**
 * Where the panels' links open. An embed sits in a news article's iframe: a drill-down opens the
 * full page in the reader's tab ('_top'), never inside the small frame.
 */
export const LinkTargetContext = createContext<'_top' | undefined>(undefined);

export const useLinkTarget = () => useContext(LinkTargetContext);
