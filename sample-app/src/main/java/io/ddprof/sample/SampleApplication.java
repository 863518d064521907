package io.ddprof.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small traced service whose endpoints make each profile type obvious. */
@SpringBootApplication
public class SampleApplication {

	/** Starts the sample service. */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
