"""`booknetic-zoom demo`: the product page end to end on the Zoom emulator and a throwaway database."""
