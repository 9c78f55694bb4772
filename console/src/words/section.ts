/** One screen's words in both languages: the Chinese must have every key the English has. */
export interface Section {
  en: object;
  zhCN: object;
}

export const section = <W extends object>(en: W, zhCN: NoInfer<W>): Section => ({ en, zhCN });
