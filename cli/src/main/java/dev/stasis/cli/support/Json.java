package dev.stasis.cli.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;

/** The one JSON writer the commands print with, so every command formats alike. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // named, not found with findAndRegisterModules(): that scans every jar on the class path
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static void print(Object value) {
        try {
            OutputStream out = System.out;
            MAPPER.writerWithDefaultPrettyPrinter().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .writeValue(out, value);
            System.out.println();
            System.out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
