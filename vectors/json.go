package vectors

import (
	"bytes"
	"encoding/json"
	"errors"
)

// unmarshalStrict decodes one JSON document into v, refusing unknown fields
// and trailing data.
func unmarshalStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON document")
	}
	return nil
}
