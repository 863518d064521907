/**
 * ddprof's HTTP side in Spring: the upload transport on the application's
 * {@code WebClient}.
 */
@NullMarked
package io.ddprof.spring.web;

import org.jspecify.annotations.NullMarked;
