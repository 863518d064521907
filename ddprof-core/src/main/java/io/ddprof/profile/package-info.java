/**
 * What a profile is made of, whichever engine recorded it and whichever format it is
 * written in: the profile types ({@link io.ddprof.profile.EventType}: cpu, wall, alloc,
 * live, lock). The engines, the readers and writers, the exporters and the status all use
 * it; it uses no other package.
 */
@NullMarked
package io.ddprof.profile;

import org.jspecify.annotations.NullMarked;
