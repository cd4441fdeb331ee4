package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// skuPatchFields is SKUPatch without its methods, for the default encoding of every other field.
type skuPatchFields SKUPatch

// MarshalJSON writes the patch as the default encoding does, but an inventory changed to none (a non-nil
// Inventory pointing at nil) as `"inventory": null`: the default encoding would write the same null, and
// UnmarshalJSON must tell it from an absent key (unchanged).
func (p SKUPatch) MarshalJSON() ([]byte, error) {
	encoded, err := json.Marshal(skuPatchFields(p))
	if err != nil || p.Inventory == nil || *p.Inventory != nil {
		return encoded, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(encoded, &fields); err != nil {
		return nil, fmt.Errorf("catalog: encode a SKU patch: %w", err)
	}
	fields["inventory"] = json.RawMessage("null")
	return json.Marshal(fields)
}

// UnmarshalJSON reads the patch as the default decoding does, but `"inventory": null` as "the inventory
// changed to none" (the SKU became unlimited), where the default decoding would read it as unchanged.
func (p *SKUPatch) UnmarshalJSON(data []byte) error {
	var fields skuPatchFields
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	var raw struct {
		Inventory json.RawMessage `json:"inventory"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if bytes.Equal(bytes.TrimSpace(raw.Inventory), []byte("null")) {
		fields.Inventory = new(*int64)
	}
	*p = SKUPatch(fields)
	return nil
}
