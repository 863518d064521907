package io.ddprof.spring.autoconfigure;

import io.ddprof.config.InvalidSettingException;
import io.ddprof.config.SettingValues;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether ddprof is on: {@code ddprof.enabled}, on when missing, read the way ddprof
 * reads every boolean setting ({@code true}, {@code 1}, {@code yes}, {@code on} and
 * {@code false}, {@code 0}, {@code no}, {@code off}, in any case), from wherever the
 * environment has it. That includes {@code DD_PROFILING_ENABLED}, which
 * {@link DatadogVariablesEnvironmentPostProcessor} adds beneath every other source
 * already read ({@code auto} as {@code true}; a value it cannot use set aside, so the
 * default applies). A value that is not a boolean at all stops start-up with an
 * {@link InvalidSettingException}, which {@link InvalidSettingFailureAnalyzer} explains,
 * rather than turning profiling off without a word.
 */
class OnDdprofEnabledCondition extends SpringBootCondition {

	static final String PROPERTY = "ddprof.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("ddprof enabled");
		String value = context.getEnvironment().getProperty(PROPERTY);
		if (value == null) {
			return ConditionOutcome.match(message.because(PROPERTY + " is not set"));
		}
		String reason = PROPERTY + " is '" + value + "'";
		return SettingValues.parseBoolean(PROPERTY, value) ? ConditionOutcome.match(message.because(reason))
				: ConditionOutcome.noMatch(message.because(reason));
	}

}
