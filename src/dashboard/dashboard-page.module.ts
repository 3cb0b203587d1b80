import { Module } from '@nestjs/common';
import { DashboardPageController } from './dashboard-page.controller';

@Module({ controllers: [DashboardPageController] })
export class DashboardPageModule {}
