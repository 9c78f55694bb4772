/** Short tones for the scanner (Web Audio oscillator, no sound files): a low buzz for a refusal, a blip for a unit. */
let context: AudioContext | undefined;

function tone(frequency: number, seconds: number, type: OscillatorType, volume: number): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = type;
    oscillator.frequency.value = frequency;
    const now = context.currentTime;
    gain.gain.setValueAtTime(volume, now);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + seconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(now);
    oscillator.stop(now + seconds);
  } catch {
    // No audio (a browser without Web Audio, or none allowed yet): the message on the page still says it.
  }
}

export const errorSound = () => tone(160, 0.4, 'square', 0.25);
export const okSound = () => tone(1200, 0.07, 'sine', 0.15);
export const doneSound = () => {
  tone(880, 0.12, 'sine', 0.2);
  window.setTimeout(() => tone(1320, 0.18, 'sine', 0.2), 130);
};
