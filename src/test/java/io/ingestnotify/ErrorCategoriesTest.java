package io.ingestnotify;

import io.ingestnotify.event.ErrorCategories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorCategoriesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "File not found: /tmp/x.pdf                         | file_not_found",
        "botocore.exceptions.ClientError: NoSuchKey          | file_not_found",
        "No file found for document_id: abc                  | file_not_found",
        "S3 upload failed                                    | s3_error",
        "An error occurred (AccessDenied) when calling PutObject | s3_error",
        "Bucket quota exceeded                               | s3_error",
        "ChromaDB connection refused                         | storage_error",
        "vector dimension mismatch                           | storage_error",
        "Failed to add to collection global                  | storage_error",
        "PDF parser crashed on page 3                        | processing_error",
        "''                                                  | processing_error",
    })
    void derivesCategoryFromMessage(String message, String category) {
        assertThat(ErrorCategories.derive(message)).isEqualTo(category);
    }

    @org.junit.jupiter.api.Test
    void nullMessageIsAProcessingError() {
        assertThat(ErrorCategories.derive(null)).isEqualTo("processing_error");
    }
}
