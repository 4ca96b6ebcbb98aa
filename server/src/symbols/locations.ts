/**
 * Symbol locations as the symbol services return them: {@link SymbolLocation}s, plus the notes and
 * the source of the one search that found them. The notes ride on the array itself so that a
 * service stays stateless (two concurrent calls never see each other's notes) while keeping the
 * `SymbolService` contract of tools/services.ts.
 */
import * as path from 'node:path';
import type { SymbolLocation } from '../tools/services';
import { displayPath, isInside } from '../tools/workspacePath';

/** Locations, with what the search that found them wants the model to know. */
export type SymbolLocations = SymbolLocation[] & {
  /** Notes for the model: caps reached, fallbacks taken, occurrences guessed. */
  notes?: string[];
  /** Where these came from, when not the service's own `source` (a fallback answered). */
  source?: string;
};

/**
 * `locations` with `notes` and `source` attached (the array itself, not a copy), as properties
 * that are not enumerable: the array still equals, copies and serialises as a plain array.
 */
export function withNotes(locations: SymbolLocation[], notes: string[], source?: string): SymbolLocations {
  Object.defineProperty(locations, 'notes', { value: notes, enumerable: false, configurable: true, writable: true });
  if (source !== undefined) Object.defineProperty(locations, 'source', { value: source, enumerable: false, configurable: true, writable: true });
  return locations;
}

/** The notes attached by {@link withNotes}, or none. */
export function notesOf(locations: SymbolLocation[]): string[] {
  return (locations as SymbolLocations).notes ?? [];
}

/** The source attached by {@link withNotes}, or `fallback` (the service's own). */
export function sourceOf(locations: SymbolLocation[], fallback: string): string {
  return (locations as SymbolLocations).source ?? fallback;
}

/** Characters of a preview line kept (SymbolLocation.preview). */
export const PREVIEW_MAX_CHARS = 200;

/** A line as a preview: trimmed, cut at {@link PREVIEW_MAX_CHARS} characters with `…`. */
export function previewOf(line: string): string {
  const trimmed = line.trim();
  return trimmed.length > PREVIEW_MAX_CHARS ? `${trimmed.slice(0, PREVIEW_MAX_CHARS - 1)}…` : trimmed;
}

/**
 * How a path is shown to the model: relative to the working directory with `/` separators when it
 * lies inside it, else unchanged (absolute, or a URI of a document that is not a file).
 */
export function symbolPath(workingDir: string, file: string): string {
  if (!path.isAbsolute(file)) return file;
  const normalized = path.normalize(file);
  return isInside(workingDir, normalized) ? displayPath(workingDir, normalized) : normalized;
}
