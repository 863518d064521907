/**
 * ddprof's HTTP side in Spring: the upload transport on the application's {@code WebClient}.
 */
package io.ddprof.spring.web;
