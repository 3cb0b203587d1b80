import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { TokenService } from './token.service';
import { TokensController } from './tokens.controller';

@Global()
@Module({
  controllers: [TokensController],
  providers: [TokenService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [TokenService],
})
export class AuthModule {}
