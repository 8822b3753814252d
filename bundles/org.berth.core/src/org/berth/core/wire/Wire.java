package org.berth.core.wire;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.berth.core.ContainerSpec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonSerializer;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * The JSON of the agent's API, one codec for the agent and its clients: records by their component names, enums by
 * name, instants as ISO-8601 text, byte arrays as base64, NaN as null, a {@link ContainerSpec} as in
 * {@code config.json} ({@link SpecJson}). Reading is strict: malformed JSON, a field the type does not have, or a
 * value that does not fit becomes a {@link WireException} whose message names the field.
 */
public final class Wire {

	/** The largest request body the agent reads. */
	public static final int MAX_BODY_BYTES = 1 << 20;

	private static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
			.serializeNulls()
			.registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
			.registerTypeAdapter(byte[].class, new BytesAdapter().nullSafe())
			.registerTypeAdapter(double.class, new DoubleAdapter())
			.registerTypeAdapter(Double.class, new DoubleAdapter())
			.registerTypeAdapter(long.class, new WholeAdapter<>(Long::parseLong))
			.registerTypeAdapter(Long.class, new WholeAdapter<>(Long::parseLong))
			.registerTypeAdapter(int.class, new WholeAdapter<>(Integer::parseInt))
			.registerTypeAdapter(Integer.class, new WholeAdapter<>(Integer::parseInt))
			.registerTypeAdapter(ContainerSpec.class,
					(JsonSerializer<ContainerSpec>) (spec, type, ctx) -> SpecJson.toJson(spec))
			.registerTypeAdapter(ContainerSpec.class, (JsonDeserializer<ContainerSpec>) (e, type, ctx) -> {
				if (!e.isJsonObject()) {
					throw new JsonParseException("spec: " + e + " is not an object");
				}
				return SpecJson.fromJson(e.getAsJsonObject());
			})
			.create();

	private Wire() {
	}

	/** The shared Gson with the adapters above (thread-safe). */
	public static Gson gson() {
		return GSON;
	}

	public static String toJson(Object value) {
		return GSON.toJson(value);
	}

	public static JsonElement toTree(Object value) {
		return GSON.toJsonTree(value);
	}

	/** Parses {@code text} strictly: one JSON value, nothing after it. */
	public static JsonElement parse(String text) throws WireException {
		if (text == null || text.isBlank()) {
			throw new WireException("The request has no body; it needs a JSON object.");
		}
		try (JsonReader reader = new JsonReader(new StringReader(text))) {
			reader.setStrictness(Strictness.STRICT);
			JsonElement e;
			try {
				e = JsonParser.parseReader(reader);
			} catch (JsonParseException | IllegalStateException x) {
				throw new WireException("The body is not valid JSON" + where(x) + ".");
			}
			boolean more;
			try {
				more = reader.peek() != JsonToken.END_DOCUMENT;
			} catch (IOException | IllegalStateException x) {
				more = true;
			}
			if (more) {
				throw new WireException("The body has more after its JSON value.");
			}
			return e;
		} catch (IOException e) {
			throw new WireException("The body is not valid JSON" + where(e) + ".");
		}
	}

	/** " (at line 1 column 20)" from Gson's message, or nothing. */
	private static String where(Throwable t) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("line \\d+ column \\d+")
				.matcher(String.valueOf(reason(t)));
		return m.find() ? " (at " + m.group() + ")" : "";
	}

	/** {@code text} as a {@code type}; fields the type lacks are refused by name. */
	public static <T> T fromJson(String text, Class<T> type) throws WireException {
		return fromTree(parse(text), type);
	}

	public static <T> T fromTree(JsonElement tree, Class<T> type) throws WireException {
		if (type.isRecord() && !tree.isJsonObject()) {
			throw new WireException("The body must be a JSON object, not " + abbreviate(tree) + ".");
		}
		checkFields(type, tree, "");
		try {
			T value = GSON.fromJson(tree, type);
			if (value == null) {
				throw new WireException("The body must be a JSON object, not null.");
			}
			return value;
		} catch (JsonParseException | IllegalArgumentException | NullPointerException | IllegalStateException e) {
			throw new WireException(sentence(reason(e)));
		} catch (RuntimeException e) {
			// Gson wraps what a record's constructor throws
			throw new WireException(sentence(reason(e)));
		}
	}

	/** Refuses fields a record does not have, at any depth of records, lists and maps of records. */
	private static void checkFields(Type type, JsonElement e, String path) throws WireException {
		if (e == null || e.isJsonNull()) {
			return;
		}
		Class<?> raw = raw(type);
		if (raw != null && raw.isRecord() && e.isJsonObject()) {
			List<String> names = new ArrayList<>();
			for (RecordComponent c : raw.getRecordComponents()) {
				names.add(c.getName());
			}
			JsonObject o = e.getAsJsonObject();
			for (String key : o.keySet()) {
				if (!names.contains(key)) {
					throw new WireException(path + key + ": there is no such field; the fields are "
							+ String.join(", ", names) + ".");
				}
			}
			for (RecordComponent c : raw.getRecordComponents()) {
				checkFields(c.getGenericType(), o.get(c.getName()), path + c.getName() + ".");
			}
		} else if (type instanceof ParameterizedType p && e.isJsonArray() && raw != null
				&& Collection.class.isAssignableFrom(raw)) {
			int i = 0;
			for (JsonElement item : e.getAsJsonArray()) {
				checkFields(p.getActualTypeArguments()[0], item, path.substring(0, Math.max(0, path.length() - 1))
						+ "[" + i++ + "].");
			}
		} else if (type instanceof ParameterizedType p && e.isJsonObject() && raw != null
				&& Map.class.isAssignableFrom(raw)) {
			for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
				checkFields(p.getActualTypeArguments()[1], entry.getValue(), path + entry.getKey() + ".");
			}
		}
	}

	private static Class<?> raw(Type type) {
		if (type instanceof Class<?> c) {
			return c;
		}
		if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
			return c;
		}
		return null;
	}

	/** The innermost message: what a constructor or adapter said, without Gson's wrapping. */
	private static String reason(Throwable t) {
		String message = null;
		for (Throwable c = t; c != null; c = c.getCause()) {
			if (c.getMessage() != null && !c.getMessage().startsWith("Failed to invoke constructor")) {
				message = c.getMessage();
			}
			if (c.getCause() == c) {
				break;
			}
		}
		if (message == null) {
			return "it does not fit";
		}
		// Gson's own words carry a link to its troubleshooting page: not for our users
		int see = message.indexOf("\nSee ");
		return see < 0 ? message : message.substring(0, see);
	}

	private static String sentence(String s) {
		String t = s.strip();
		return t.endsWith(".") ? t : t + ".";
	}

	private static String abbreviate(JsonElement e) {
		String s = e.toString();
		return s.length() > 40 ? s.substring(0, 40) + "…" : s;
	}

	private static final class InstantAdapter extends TypeAdapter<Instant> {
		@Override
		public void write(JsonWriter out, Instant value) throws IOException {
			out.value(value.toString());
		}

		@Override
		public Instant read(JsonReader in) throws IOException {
			String path = in.getPath();
			String text = in.nextString();
			try {
				return Instant.parse(text);
			} catch (DateTimeParseException e) {
				throw new JsonParseException(field(path) + ": \"" + text + "\" is not a time such as"
						+ " 2026-01-31T12:00:00Z");
			}
		}
	}

	private static final class BytesAdapter extends TypeAdapter<byte[]> {
		@Override
		public void write(JsonWriter out, byte[] value) throws IOException {
			out.value(Base64.getEncoder().encodeToString(value));
		}

		@Override
		public byte[] read(JsonReader in) throws IOException {
			String path = in.getPath();
			String text = in.nextString();
			try {
				return Base64.getDecoder().decode(text);
			} catch (IllegalArgumentException e) {
				throw new JsonParseException(field(path) + ": is not base64");
			}
		}
	}

	/** NaN and the infinities as null (JSON has no such numbers), null as NaN. */
	private static final class DoubleAdapter extends TypeAdapter<Double> {
		@Override
		public void write(JsonWriter out, Double value) throws IOException {
			if (value == null || value.isNaN() || value.isInfinite()) {
				out.nullValue();
			} else {
				out.value(value);
			}
		}

		@Override
		public Double read(JsonReader in) throws IOException {
			if (in.peek() == JsonToken.NULL) {
				in.nextNull();
				return Double.NaN;
			}
			String path = in.getPath();
			try {
				return in.nextDouble();
			} catch (NumberFormatException | IllegalStateException e) {
				throw new JsonParseException(field(path) + ": is not a number");
			}
		}
	}

	/** Whole numbers, with the field named when a value is not one. */
	private static final class WholeAdapter<N extends Number> extends TypeAdapter<N> {
		private final java.util.function.Function<String, N> parse;

		WholeAdapter(java.util.function.Function<String, N> parse) {
			this.parse = parse;
		}

		@Override
		public void write(JsonWriter out, N value) throws IOException {
			if (value == null) {
				out.nullValue();
			} else {
				out.value(value);
			}
		}

		@Override
		public N read(JsonReader in) throws IOException {
			if (in.peek() == JsonToken.NULL) {
				in.nextNull();
				return null;
			}
			String path = in.getPath();
			JsonToken token = in.peek();
			String text = token == JsonToken.NUMBER || token == JsonToken.STRING ? in.nextString() : null;
			if (token != JsonToken.NUMBER || text == null) {
				if (text == null) {
					in.skipValue();
				}
				throw new JsonParseException(field(path) + ": " + (text == null ? "the value" : "\"" + text + "\"")
						+ " is not a whole number");
			}
			try {
				return parse.apply(text);
			} catch (NumberFormatException e) {
				throw new JsonParseException(field(path) + ": " + text + " is not a whole number in range");
			}
		}
	}

	/** "$.limits.cpus" → "limits.cpus". */
	private static String field(String jsonPath) {
		return jsonPath.startsWith("$.") ? jsonPath.substring(2) : jsonPath;
	}
}
