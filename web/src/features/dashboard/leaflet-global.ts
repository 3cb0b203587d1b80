// leaflet.markercluster is a plugin of the global `L`: Leaflet as an ES module sets none.
import L from 'leaflet';

(window as unknown as { L: typeof L }).L = L;
