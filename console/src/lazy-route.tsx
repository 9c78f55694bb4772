/**
 * Screens loaded when first opened: the first screen (Today) comes with the console's own script, every other
 * screen's code (and the parts of Ant Design only it uses) in a chunk of its own, so signing in and Today do not
 * wait for the whole console to load and run.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { Spin } from 'antd';
import { NotFound } from './NotFound';
import type { SignedIn } from './types';

export type ScreenRoute = (path: string, params: URLSearchParams, me: SignedIn) => ReactNode | null;

interface Props {
  path: string;
  params: URLSearchParams;
  me: SignedIn;
}

/** A route whose screen is imported on first use; `owns` says which paths are its own without loading it. */
export function lazyRoute(owns: (path: string) => boolean, load: () => Promise<ScreenRoute>): ScreenRoute {
  const Screen = lazy(async () => {
    const route = await load();
    return { default: ({ path, params, me }: Props) => route(path, params, me) ?? <NotFound /> };
  });
  return (path, params, me) =>
    owns(path) ? (
      <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
        <Screen path={path} params={params} me={me} />
      </Suspense>
    ) : null;
}
