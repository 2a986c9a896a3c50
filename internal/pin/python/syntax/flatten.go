package syntax

/*
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

// The few tree-sitter C API declarations used here, as in
// tree_sitter/api.h of go-tree-sitter v0.25.0 (the version go.mod pins).
// The definitions are compiled into go-tree-sitter's package; these
// declarations let one call walk the whole tree instead of paying a cgo
// call per node and property. flattenSupported checks the struct layout
// against go-tree-sitter's at start-up.
typedef struct PDNode {
	uint32_t context[4];
	const void *id;
	const void *tree;
} PDNode;

typedef struct PDCursor {
	const void *tree;
	const void *id;
	uint32_t context[3];
} PDCursor;

#define TSNode PDNode
#define TSTreeCursor PDCursor
uint16_t ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
uint32_t ts_node_descendant_count(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));

// go-tree-sitter routes every allocation the parser makes through a cgo
// callback into Go, which then calls libc; NULLs restore tree-sitter's
// own libc allocator. Both end in the same malloc, so memory allocated
// before the switch is freed correctly after it.
static void pd_direct_allocator(void) { ts_set_allocator(NULL, NULL, NULL, NULL); }

typedef struct pd_flat {
	uint32_t start;
	uint32_t end;
	uint32_t nkids;
	uint16_t symbol;
	uint16_t field;
	uint8_t missing;
} pd_flat;

static uint32_t pd_count(TSNode *root) { return ts_node_descendant_count(*root); }

// pd_flatten writes the tree in preorder; each entry counts its children.
// stack must hold cap entries. Returns the number written, or -1 if the
// tree has more than cap nodes.
static int pd_flatten(TSNode *root, pd_flat *out, uint32_t *stack, int cap) {
	TSTreeCursor c = ts_tree_cursor_new(*root);
	int n = 0, sp = 0;
	TSNode cur = *root;
	out[n++] = (pd_flat){ts_node_start_byte(cur), ts_node_end_byte(cur), 0, ts_node_symbol(cur), 0, ts_node_is_missing(cur)};
	stack[sp++] = 0;
	for (;;) {
		if (ts_tree_cursor_goto_first_child(&c)) {
			// descend: the node just written is the parent
		} else {
			for (;;) {
				if (ts_tree_cursor_goto_next_sibling(&c)) {
					sp--;
					break;
				}
				if (!ts_tree_cursor_goto_parent(&c)) {
					ts_tree_cursor_delete(&c);
					return n;
				}
				sp--;
			}
		}
		if (n >= cap || sp <= 0) {
			ts_tree_cursor_delete(&c);
			return -1;
		}
		cur = ts_tree_cursor_current_node(&c);
		out[stack[sp - 1]].nkids++;
		out[n] = (pd_flat){ts_node_start_byte(cur), ts_node_end_byte(cur), 0, ts_node_symbol(cur),
			ts_tree_cursor_current_field_id(&c), ts_node_is_missing(cur)};
		stack[sp++] = n;
		n++;
	}
}
*/
import "C"

import (
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// useDirectAllocator makes tree-sitter allocate with libc directly:
// parsing spends more time in allocation callbacks than in parsing
// without it (see pd_direct_allocator). setup calls it once, before the
// first parse, so only binaries that parse Python are affected.
func useDirectAllocator() { C.pd_direct_allocator() }

// flattenSupported reports whether go-tree-sitter's Node is laid out as the
// declarations above assume; if not, conversion falls back to the cursor.
var flattenSupported = unsafe.Sizeof(sitter.Node{}) == C.sizeof_PDNode

// convertFlat converts the tree with one foreign call for the walk. It
// returns nil if the fast path is unavailable.
func (c *converter) convertFlat(root *sitter.Node) *Node {
	if !flattenSupported {
		return nil
	}
	rootC := (*C.PDNode)(unsafe.Pointer(root))
	count := int(C.pd_count(rootC))
	flat := make([]C.pd_flat, count)
	stack := make([]C.uint32_t, count+1)
	n := int(C.pd_flatten(rootC, &flat[0], &stack[0], C.int(count)))
	if n < 0 {
		return nil
	}
	// One allocation each for the nodes and for the child lists, instead
	// of one per node: conversion is a third of the cost of parsing.
	c.slab = make([]Node, 0, n)
	c.kidSlab = make([]*Node, 0, n)
	c.fieldSlab = make([]Field, 0, n)
	out, _ := c.build(flat[:n], 0, 0)
	return out
}

func (c *converter) newNode() *Node {
	c.slab = append(c.slab, Node{})
	return &c.slab[len(c.slab)-1]
}

// build converts flat[i] and its subtree, returning the index after it.
func (c *converter) build(flat []C.pd_flat, i, depth int) (*Node, int) {
	e := flat[i]
	k := c.kind(uint16(e.symbol))
	start, end := int(e.start), int(e.end)
	line, col := c.position(start)
	eline, _ := c.position(max(end-1, start))
	out := c.newNode()
	*out = Node{Kind: k.kind, Start: start, End: end, Line: line, Col: col, EndLine: eline, Named: k.named}
	if e.missing != 0 {
		c.missing(k.name, line, col)
	}
	next := i + 1
	if e.nkids == 0 {
		out.Token = string(c.src[start:end])
		return out, next
	}
	if depth > MaxNesting {
		c.tooDeep(line, col)
		return out, skip(flat, i)
	}
	keepAnon := keepAnonymous(out.Kind)
	// The child lists are windows of the shared slabs, with capacity for
	// every child so appends never spill into a sibling's window.
	kn := int(e.nkids)
	out.Kids = c.kidSlab[len(c.kidSlab) : len(c.kidSlab) : len(c.kidSlab)+kn]
	out.Fields = c.fieldSlab[len(c.fieldSlab) : len(c.fieldSlab) : len(c.fieldSlab)+kn]
	c.kidSlab = c.kidSlab[:len(c.kidSlab)+kn]
	c.fieldSlab = c.fieldSlab[:len(c.fieldSlab)+kn]
	for range kn {
		ce := flat[next]
		ck := c.kind(uint16(ce.symbol))
		field := c.field(uint16(ce.field))
		if ck.dropped || !(ck.named || field != NoField || keepAnon) {
			next = skip(flat, next)
			continue
		}
		var kid *Node
		kid, next = c.build(flat, next, depth+1)
		out.Kids = append(out.Kids, kid)
		out.Fields = append(out.Fields, field)
	}
	return out, next
}

// skip returns the index after flat[i]'s subtree.
func skip(flat []C.pd_flat, i int) int {
	pending := 1
	for pending > 0 {
		pending += int(flat[i].nkids) - 1
		i++
	}
	return i
}
