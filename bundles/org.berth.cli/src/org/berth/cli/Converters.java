package org.berth.cli;

import java.util.Locale;

import org.berth.core.Capability;
import org.berth.core.ContainerKind;
import org.berth.core.IdMap;
import org.berth.core.NamespaceSpec;
import org.berth.core.NetworkMode;
import org.berth.core.Sizes;

import picocli.CommandLine.ITypeConverter;

/**
 * picocli converters over the core's parsers. Each throws an {@link IllegalArgumentException} whose message is a
 * sentence; {@link Main} prints it after the option's name.
 */
final class Converters {

	private Converters() {
	}

	/** A new value for one limit; {@code value} null = lift the limit. Absent (a null Change) = leave it alone. */
	record Change<T>(T value) {
	}

	/** "none", "max" and "unlimited" say "no limit". */
	static boolean isNone(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		return t.equals("none") || t.equals("max") || t.equals("unlimited");
	}

	static long wholeNumber(String text) {
		String t = text.trim();
		if (!t.matches("-?[0-9]{1,18}")) {
			throw new IllegalArgumentException("\"" + text + "\" is not a whole number");
		}
		return Long.parseLong(t);
	}

	static int smallWholeNumber(String text) {
		long v = wholeNumber(text);
		if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(text + " is far out of range");
		}
		return (int) v;
	}

	/** A number of CPUs such as 0.5. */
	static final class Cpus implements ITypeConverter<Double> {
		@Override
		public Double convert(String value) {
			return isNone(value) ? null : Sizes.parseCpus(value);
		}
	}

	/** A whole number; "none" = no limit (null). */
	static final class Limit implements ITypeConverter<Long> {
		@Override
		public Long convert(String value) {
			return isNone(value) ? null : wholeNumber(value);
		}
	}

	/** A whole number that fits an int; "none" = not set (null). */
	static final class Weight implements ITypeConverter<Integer> {
		@Override
		public Integer convert(String value) {
			return isNone(value) ? null : smallWholeNumber(value);
		}
	}

	/** A whole number of seconds (offsets may be negative). */
	static final class Seconds implements ITypeConverter<Long> {
		@Override
		public Long convert(String value) {
			return wholeNumber(value);
		}
	}

	/** A timeout in whole seconds, not negative. */
	static final class Timeout implements ITypeConverter<Long> {
		@Override
		public Long convert(String value) {
			long v;
			try {
				v = wholeNumber(value);
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("\"" + value + "\" is not a number of seconds; use a whole"
						+ " number such as 10");
			}
			if (v < 0) {
				throw new IllegalArgumentException("a timeout of " + v + " seconds is not possible; use 0 or more");
			}
			return v;
		}
	}

	static final class Namespace implements ITypeConverter<NamespaceSpec> {
		@Override
		public NamespaceSpec convert(String value) {
			return NamespaceSpec.parse(value);
		}
	}

	static final class Kind implements ITypeConverter<ContainerKind> {
		@Override
		public ContainerKind convert(String value) {
			return ContainerKind.parse(value);
		}
	}

	/** yes/no (also true/false, on/off). */
	static final class YesNo implements ITypeConverter<Boolean> {
		@Override
		public Boolean convert(String value) {
			return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
				case "yes", "true", "on" -> true;
				case "no", "false", "off" -> false;
				default -> throw new IllegalArgumentException("\"" + value + "\" is not yes or no");
			};
		}
	}

	static final class Network implements ITypeConverter<NetworkMode> {
		@Override
		public NetworkMode convert(String value) {
			return NetworkMode.parse(value);
		}
	}

	static final class IdMaps implements ITypeConverter<IdMap> {
		@Override
		public IdMap convert(String value) {
			return IdMap.parse(value);
		}
	}

	/** A capability name, with or without CAP_, in any case; gives the canonical name. */
	static final class Cap implements ITypeConverter<String> {
		@Override
		public String convert(String value) {
			return Capability.parse(value).name();
		}
	}

	// ---- changes of one limit, for berth set -------------------------------------------------------------------

	static final class MemoryChange implements ITypeConverter<Change<Long>> {
		@Override
		public Change<Long> convert(String value) {
			return new Change<>(Sizes.parseLimit(value));
		}
	}

	static final class CpusChange implements ITypeConverter<Change<Double>> {
		@Override
		public Change<Double> convert(String value) {
			return new Change<>(new Cpus().convert(value));
		}
	}

	static final class WeightChange implements ITypeConverter<Change<Integer>> {
		@Override
		public Change<Integer> convert(String value) {
			return new Change<>(new Weight().convert(value));
		}
	}

	static final class CpusetChange implements ITypeConverter<Change<String>> {
		@Override
		public Change<String> convert(String value) {
			return new Change<>(isNone(value) ? null : value.trim());
		}
	}

	static final class LimitChange implements ITypeConverter<Change<Long>> {
		@Override
		public Change<Long> convert(String value) {
			return new Change<>(new Limit().convert(value));
		}
	}
}
