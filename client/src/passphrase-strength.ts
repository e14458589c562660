// A rough strength hint for a passphrase: an entropy estimate from length and
// character classes, with penalties for repeats and runs. A hint, not a gate.

export type StrengthLevel = 'empty' | 'weak' | 'fair' | 'good' | 'strong';

export interface Strength {
  level: StrengthLevel;
  bits: number;
  hint: string;
}

function poolSize(passphrase: string): number {
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^A-Za-z0-9\s\u0080-\uffff]/.test(passphrase)) pool += 33;
  if (/\s/.test(passphrase)) pool += 1;
  if (/[\u0080-\uffff]/.test(passphrase)) pool += 100;
  return Math.max(pool, 1);
}

/** Characters that add little: repeats of the previous one or steps of a run (abc, 123). */
function weakChars(passphrase: string): number {
  const chars = [...passphrase];
  let weak = 0;
  for (let i = 1; i < chars.length; i++) {
    const prev = chars[i - 1]!.codePointAt(0)!;
    const cur = chars[i]!.codePointAt(0)!;
    if (cur === prev || cur === prev + 1 || cur === prev - 1) weak++;
  }
  return weak;
}

export function estimateStrength(passphrase: string): Strength {
  if (passphrase === '') return { level: 'empty', bits: 0, hint: '' };
  const length = [...passphrase].length;
  const effective = length - weakChars(passphrase) * 0.75;
  const bits = Math.round(Math.max(0, effective) * Math.log2(poolSize(passphrase)));
  if (bits < 28) return { level: 'weak', bits, hint: 'Weak: easy to guess. Use several unrelated words.' };
  if (bits < 50) return { level: 'fair', bits, hint: 'Fair: a few more words would make it much stronger.' };
  if (bits < 75) return { level: 'good', bits, hint: 'Good.' };
  return { level: 'strong', bits, hint: 'Strong.' };
}
