// DANE
